using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Usage;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Accounts.AccountsSandboxApp;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// Dependents, failover drills, action Regions and the findings' CloudWatch/CloudTrail reads over the sandbox's two demo
/// accounts: each is read or run in the key's own account, through that account's assumed role.
/// </summary>
public sealed class DependentsAccountsTests : IAsyncLifetime
{
    private AccountsSandboxApp _sandbox = default!;

    public async Task InitializeAsync() => _sandbox = await AccountsSandboxApp.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test", ClaimTypes.Name, ClaimTypes.Role));

    private async Task<(ServiceProvider App, InventorySnapshot Snapshot)> LoadedAsync(bool withUnknown = false)
    {
        var app = _sandbox.App(DemoAccounts(withUnknown), (s, dir) =>
        {
            s.AddDashboardAuthorization();
            s.AddInventory();
            s.AddKeyActions(dir);
            s.AddDependents();
            s.AddFailoverDrills(dir);
            s.AddUsage();
            s.AddDashboardAudit();
            s.AddFindings(dir);
        });
        var inventory = app.GetRequiredService<KeyInventory>();
        await inventory.RefreshAsync(CancellationToken.None);
        return (app, inventory.Current);
    }

    private static KeySet CardVault(InventorySnapshot snapshot) => Assert.Single(snapshot.KeySets, s => s.DisplayName == "card-vault" && s.Account == Payments);

    /// <summary>The payments account's CloudTrail in <paramref name="region"/>, read with its own role.</summary>
    private CloudTrailClient PaymentsTrail(ServiceProvider app, string region)
    {
        var accounts = app.GetRequiredService<AwsAccounts>();
        return new CloudTrailClient(accounts.Clients(accounts.Find(Payments)!).Credentials, region, _sandbox.Server.Url, new CloudTrailRateLimiter());
    }

    [Fact]
    public async Task APaymentsKeysDependentsAreItsBucketsGrantsAndCallersReadInThePaymentsAccountAndItsPlanShowsThem()
    {
        var (app, snapshot) = await LoadedAsync();
        var vault = CardVault(snapshot);
        var dependents = app.GetRequiredService<DependentsService>();

        var read = await dependents.ReadAsync(vault.KeyId, TimeSpan.FromDays(30), refreshBuckets: false, CancellationToken.None, account: Payments);

        Assert.Equal(Payments, read.Account);
        Assert.Null(read.S3Error);
        Assert.Null(read.AccountError);
        // Its buckets live in the payments account: the archive names it by alias in us-east-1, the Irish copy by ARN.
        var archive = Assert.Single(read.Buckets, b => b.Bucket == "payments-card-archive");
        Assert.Equal((Payments, "us-east-1", KeyNameKind.AliasName), (archive.Account, archive.KeyRegion, archive.NamedBy));
        var ireland = Assert.Single(read.Buckets, b => b.Bucket == "payments-card-archive-eu");
        Assert.Equal((Payments, "eu-west-1", KeyNameKind.KeyArn), (ireland.Account, ireland.KeyRegion, ireland.NamedBy));
        var rule = Assert.Single(read.ReplicationRules);
        Assert.Equal(("card-archive-to-ireland", "payments-card-archive-eu", "eu-west-1"), (rule.RuleId, rule.DestinationBucket, rule.KeyRegion));
        Assert.DoesNotContain(read.Buckets, b => b.Bucket.StartsWith("payments-settlements", StringComparison.Ordinal));
        // Grants and CloudTrail from the payments account: its tokenizer grant, and callers with no error in each Region.
        Assert.Equal(PaymentsRegions.Order(), read.Regions.Select(r => r.Region).Order());
        Assert.All(read.Regions, r => Assert.Null(r.GrantsError));
        Assert.All(read.Regions, r => Assert.Null(r.CallersError));
        Assert.Contains(read.Grants, g => g.Region == "us-east-1" && g.GranteePrincipal == $"arn:aws:iam::{Payments}:role/tokenizer");
        Assert.NotEmpty(read.Callers);
        Assert.All(read.Regions, r => Assert.Contains($":{Payments}:key/", r.KeyArn));
        Assert.Same(read, dependents.Latest(vault.KeyId, Payments));

        // A security account key set sees none of the payments buckets.
        var security = snapshot.KeySets.First(s => s.Account == SecurityAccount && s.Representative.KeySpec == "SYMMETRIC_DEFAULT");
        var other = await dependents.ReadAsync(security.KeyId, TimeSpan.FromDays(1), false, CancellationToken.None, includeCallers: false, account: SecurityAccount);
        Assert.DoesNotContain(other.Buckets, b => b.Account == Payments);

        // The plan to disable the key in us-east-1 counts its real blast radius there, read in the payments account.
        var operations = app.GetRequiredService<KeyOperations>();
        var plan = await operations.PlanAsync(User("Ada Lovelace", DashboardRoles.Admin),
            new DisableKeyRequest { KeyId = vault.KeyId, Region = "us-east-1", Account = Payments }, CancellationToken.None);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        Assert.NotNull(plan.Dependents);
        Assert.Equal(1, plan.Dependents!.Buckets);
        Assert.True(plan.Dependents.Grants >= 1, plan.Dependents.Summary);
        Assert.DoesNotContain(plan.Notes, n => n.Contains("are not read in account", StringComparison.Ordinal));

        // An object scan of its bucket runs through the payments account and is kept apart from the other account's.
        var scans = app.GetRequiredService<ObjectScans>();
        Assert.False(scans.TryStart("payments-card-archive", "us-east-1", false, out var refusal));
        Assert.Contains("Choose the bucket's account", refusal);
        Assert.True(scans.TryStart("payments-card-archive", "us-east-1", false, out refusal, Payments), refusal);
        await scans.WhenStoppedAsync("payments-card-archive", Payments);
        var scanned = scans.Saved("payments-card-archive", Payments);
        Assert.NotNull(scanned);
        Assert.Equal(ObjectScanStatus.Completed, scanned!.Status);
        Assert.Equal(Payments, scanned.Account);
        Assert.Equal(6, scanned.CountsByKey.GetValueOrDefault(vault.Members["us-east-1"].Arn));
        Assert.Null(scans.Saved("payments-card-archive"));
    }

    [Fact]
    public async Task AnAccountWhoseRoleCannotBeAssumedHasItsBucketsShownFailingWhileTheOthersAreRead()
    {
        var (app, _) = await LoadedAsync(withUnknown: true);
        var catalog = app.GetRequiredService<BucketCatalog>();

        var all = await catalog.GetAsync(refresh: false, CancellationToken.None);

        Assert.Contains(all.Buckets, b => b.Name == "payments-card-archive" && b.Account == Payments);
        Assert.Contains(all.Buckets, b => b.Account == SecurityAccount);
        Assert.Contains("account demo-gone (777788889999): Could not assume arn:aws:iam::777788889999:role/KmsDashboard", all.Error);
        Assert.NotNull(all.FailingSince);
        Assert.StartsWith("Could not assume", catalog.CurrentOf(Unknown).Error);
        Assert.Null(catalog.CurrentOf(Payments).Error);
        var summary = await app.GetRequiredService<DependentsService>().SummaryAsync(TimeSpan.FromDays(30), CancellationToken.None);
        Assert.Contains("demo-gone", summary.S3Error);
        Assert.Contains(summary.Counts, c => c.Account == Payments && c.DisplayName == "card-vault" && c.Buckets == 2 && c.ReplicationRules == 1);
    }

    [Fact]
    public async Task ADrillOfAPaymentsKeySetRunsInThePaymentsAccountInTheUsersNameAndIsKeptWithItsAccount()
    {
        var (app, snapshot) = await LoadedAsync();
        var vault = CardVault(snapshot);
        var drills = app.GetRequiredService<FailoverDrillService>();
        var ada = User("Ada Lovelace", DashboardRoles.Operator);

        // With several accounts the account must be named; an account the dashboard does not read is refused.
        var unnamed = await Assert.ThrowsAsync<FailoverDrillException>(() => drills.RunAsync(ada, vault.KeyId, false, CancellationToken.None));
        Assert.Contains("Choose the key set's account", unnamed.Message);
        await Assert.ThrowsAsync<FailoverDrillException>(() => drills.RunAsync(ada, vault.KeyId, false, CancellationToken.None, Unknown));
        Assert.Contains(drills.DrillableKeySets(), s => s.KeyId == vault.KeyId && s.Account == Payments);

        var result = await drills.RunAsync(ada, vault.KeyId, false, CancellationToken.None, Payments);

        Assert.Equal(Payments, result.Account);
        Assert.True(result.EveryRegionServesAlone, result.Summary);
        Assert.Equal(PaymentsRegions.Order(), result.Regions.Select(r => r.Region).Order());
        Assert.Empty(result.Notes);
        // Kept with its account: found for the payments account only, and keyed by it for the findings' check 8.
        Assert.Equal(result.Id, Assert.Single(await drills.RecentAsync(ada, vault.KeyId, 10, CancellationToken.None, Payments)).Id);
        Assert.Empty(await drills.RecentAsync(ada, vault.KeyId, 10, CancellationToken.None, SecurityAccount));
        var store = app.GetRequiredService<FailoverDrillStore>();
        Assert.Contains($"{Payments}/{vault.KeyId}", (await store.LastDrillsAsync(CancellationToken.None)).Keys);

        // The drill's calls are in the payments account's CloudTrail, made by Ada through the role (SourceIdentity).
        var events = await PaymentsTrail(app, "eu-west-1").LookupEventsAsync(new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = "EventName", AttributeValue = "GenerateDataKey" }],
            MaxResults = 50,
        });
        var generate = Assert.Single(events.Events ?? [], e => e.CloudTrailEvent?.Contains(result.Id.ToString(), StringComparison.Ordinal) == true);
        Assert.Equal("Ada-Lovelace", generate.Username);
        using var record = JsonDocument.Parse(generate.CloudTrailEvent!);
        Assert.Equal("Ada-Lovelace", record.RootElement.GetProperty("userIdentity").GetProperty("sessionContext").GetProperty("sourceIdentity").GetString());
        Assert.Equal(Payments, record.RootElement.GetProperty("recipientAccountId").GetString());

        // A drill stored before accounts (no account) counts as the dashboard's own account's (demo-security).
        var security = snapshot.KeySets.First(s => s.Account == SecurityAccount);
        await store.SaveAsync(result with { Id = Guid.NewGuid(), KeyId = security.KeyId, Account = "", Name = security.DisplayName }, CancellationToken.None);
        var legacy = Assert.Single(await drills.RecentAsync(ada, security.KeyId, 10, CancellationToken.None, SecurityAccount));
        Assert.Equal(SecurityAccount, legacy.Account);
        Assert.Empty(await drills.RecentAsync(ada, security.KeyId, 10, CancellationToken.None, Payments));
    }

    [Fact]
    public async Task ReplicatingAPaymentsKeyToARegionOutsideTheAccountsListIsRefusedWithNoCall()
    {
        var (app, snapshot) = await LoadedAsync();
        var vault = CardVault(snapshot);
        var operations = app.GetRequiredService<KeyOperations>();
        var admin = User("Ada Lovelace", DashboardRoles.Admin);
        // The dialogs offer the key's account's Regions, not Backend:Regions.
        Assert.Equal(PaymentsRegions, operations.RegionsOf(Payments));
        Assert.Equal(Regions, operations.RegionsOf(SecurityAccount));
        Assert.Empty(operations.RegionsOf(Unknown));

        var sent = new ConcurrentQueue<SandboxCall>();
        using (_sandbox.Server.Services.GetRequiredService<SandboxCallLog>().Subscribe(call =>
               {
                   if (DashboardIdentity.IsOwnUserAgent(call.UserAgent)) sent.Enqueue(call);
               }))
        {
            // us-west-2 is one of the dashboard's Regions, but not one of the payments account's.
            var plan = await operations.PlanAsync(admin,
                new ReplicateKeyRequest { KeyId = vault.KeyId, Region = "us-east-1", Account = Payments, TargetRegions = ["us-west-2"] }, CancellationToken.None);

            Assert.Equal(PlanStatus.Invalid, plan.Status);
            Assert.Contains(plan.Problems, p => p.Contains("us-west-2", StringComparison.Ordinal));
            Assert.Empty(plan.Calls);
        }
        Assert.Empty(sent);
    }

    [Fact]
    public async Task TheFindingsReadEachAccountsUsageAndCloudTrailSoAPaymentsKeyInUseIsNotIdle()
    {
        var (app, snapshot) = await LoadedAsync();
        var vault = CardVault(snapshot);
        var findings = app.GetRequiredService<FindingsService>();

        var input = await findings.GatherAsync(snapshot, CancellationToken.None);

        // CloudWatch: the payments keys' last use comes from the payments account's own metrics.
        Assert.NotNull(input.Usage);
        Assert.Empty(input.Usage!.FailedRegions);
        var primaryArn = vault.Members["us-east-1"].Arn;
        var vaultUse = input.Usage.ByArn.GetValueOrDefault(primaryArn);
        Assert.NotNull(vaultUse);
        Assert.NotNull(vaultUse!.LastUsedDay);
        Assert.True(vaultUse.Last30Days > 0);
        // CloudTrail: its callers come from the payments account's trail.
        Assert.NotNull(input.Trail);
        Assert.Empty(input.Trail!.FailedRegions);
        Assert.Contains(input.Trail.Tallies, t => t.KeyId == vault.KeyId);
        // Trail coverage: each account's own trails in its own Regions (the payments trail covers its three).
        Assert.NotNull(input.TrailCoverage);
        var paymentsCoverage = input.TrailCoverage!.Where(c => c.Account == Payments).ToList();
        Assert.Equal(PaymentsRegions.Order(), paymentsCoverage.Select(c => c.Region).Order());
        Assert.All(paymentsCoverage, c => Assert.True(c.LogsManagementEvents && c.Error is null, $"{c.Region}: {c.Error}"));
        Assert.Equal(Regions.Order(), input.TrailCoverage.Where(c => c.Account == SecurityAccount).Select(c => c.Region).Order());

        var report = await findings.EvaluateAsync(CancellationToken.None);

        // A payments key with requests in the last 90 days is not reported idle.
        var used = snapshot.CustomerKeys.Where(k => k.Account == Payments && input.Usage.ByArn.GetValueOrDefault(k.Arn)?.LastUsedDay is not null)
            .Select(k => k.KeyId).ToHashSet();
        Assert.Contains(vault.KeyId, used);
        Assert.DoesNotContain(report.Findings, f => f.Check.Id == FindingChecks.Idle.Id && f.Account == Payments && used.Contains(f.KeyId));
    }
}
