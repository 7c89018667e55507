using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.S3.Model;
using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Rotation;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Usage;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Accounts.AccountsSandboxApp;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// The rotation wizards and the manual-rotation runbook in the payments member account, with the dashboard reading both
/// demo accounts: reads through the account's role, every change in the user's name (the payments account's CloudTrail
/// shows the SourceIdentity), the runbook's account stored and kept across a restart, and a wrong or missing account
/// refused before any call. One sandbox for the class; the tests use different key sets.
/// </summary>
public sealed class RotationAccountsTests(RotationAccountsTests.Fixture fixture) : IClassFixture<RotationAccountsTests.Fixture>
{
    private static readonly ClaimsPrincipal Otto = SandboxAppHarness.User("Otto Operator", DashboardRoles.Operator);
    private static readonly ClaimsPrincipal Ada = SandboxAppHarness.User("Ada Admin", DashboardRoles.Admin);

    public sealed class Fixture : IAsyncLifetime
    {
        internal SandboxAppHarness App { get; private set; } = default!;

        /// <summary>Every call either account's sandbox served (STS, KMS, S3, CloudWatch, CloudTrail), the dashboard's and S3's alike.</summary>
        public ConcurrentQueue<(string Account, SandboxCall Call)> Calls { get; } = new();

        private IDisposable? _security, _payments;

        public async Task InitializeAsync()
        {
            App = await SandboxAppHarness.Create("rotation-accounts").SeedDemoAccount()
                .ConfigureSandbox(o => o.ReplicaCreationDuration = TimeSpan.FromSeconds(1))
                .With(DemoAccounts(withUnknown: false))
                .With("Inventory:ReadLastUse", "false")
                .With("Runbooks:ReplicaWait", "00:00:20")
                .With("Runbooks:ReplicaPoll", "00:00:00.200")
                .With("Runbooks:MaxCloudTrailEventsPerRegion", "50")
                .WithServices((services, data) =>
                {
                    services.AddKeyActions(data);
                    services.AddUsage();
                    services.AddDashboardAudit();
                    services.AddRunbooks(data);
                    services.AddRotationWizards();
                })
                .Recording(_ => false)
                .StartAsync();
            var accounts = App.Server.Services.GetRequiredService<SandboxAccounts>();
            _security = accounts.ServicesOf(SecurityAccount).GetRequiredService<SandboxCallLog>().Subscribe(c => Calls.Enqueue((SecurityAccount, c)));
            _payments = accounts.ServicesOf(Payments).GetRequiredService<SandboxCallLog>().Subscribe(c => Calls.Enqueue((Payments, c)));
            await RefreshAsync();
        }

        public Task RefreshAsync() => App.Get<KeyInventory>().RefreshAsync(CancellationToken.None);

        /// <summary>The calls the dashboard itself sent (S3's calls to KMS on its behalf left out).</summary>
        public IReadOnlyList<(string Account, SandboxCall Call)> Sent => [.. Calls.Where(c => c.Call.InvokedBy is null && c.Call.EventType == "AwsApiCall")];

        public async Task DisposeAsync()
        {
            _security?.Dispose();
            _payments?.Dispose();
            await App.DisposeAsync();
        }
    }

    private SandboxAppHarness App => fixture.App;
    private AwsAccounts Accounts => App.Get<AwsAccounts>();
    private AwsAccount PaymentsAccount => Accounts.Find(Payments)!;
    private IAmazonKeyManagementService PaymentsKms(string region) => Accounts.Clients(PaymentsAccount).Kms(region);

    /// <summary>A payments key set from the inventory (read again when a restart left it empty).</summary>
    private async Task<KeySet> SetAsync(string name)
    {
        if (App.Get<KeyInventory>().Current.ReadAt is null) await fixture.RefreshAsync();
        return App.Get<KeyInventory>().Current.KeySets.Single(s => s.DisplayName == name && s.Account == Payments);
    }

    /// <summary>The payments account's CloudTrail events of <paramref name="eventName"/> on the key <paramref name="keyArn"/> (in its Region).</summary>
    private async Task<List<JsonElement>> TrailAsync(string eventName, string keyArn)
    {
        var region = keyArn.Split(':')[3];
        var trail = new CloudTrailClient(Accounts.Clients(PaymentsAccount).Credentials, region, App.Server.Url, new CloudTrailRateLimiter());
        var found = new List<JsonElement>();
        var request = new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = "ResourceName", AttributeValue = keyArn }],
            StartTime = App.Clock.UtcNow.AddHours(-2).UtcDateTime, EndTime = App.Clock.UtcNow.AddMinutes(5).UtcDateTime, MaxResults = 50,
        };
        await foreach (var page in trail.LookupAllPagesAsync(request))
            found.AddRange((page.Events ?? []).Where(e => e.EventName == eventName).Select(e => JsonDocument.Parse(e.CloudTrailEvent!).RootElement.Clone()));
        return found;
    }

    private static void AssertActedBy(JsonElement record, string sourceIdentity)
    {
        var identity = record.GetProperty("userIdentity");
        Assert.Equal("AssumedRole", identity.GetProperty("type").GetString());
        Assert.Equal(sourceIdentity, identity.GetProperty("sessionContext").GetProperty("sourceIdentity").GetString());
        Assert.Equal(Payments, record.GetProperty("recipientAccountId").GetString());
    }

    [Fact]
    public async Task TheWizardsAndTheDependentsTabShareOneBucketCatalogPerAccount()
    {
        var accounts = App.Get<RunbookAccounts>();
        var payments = (await accounts.ResolveAsync(Payments, default)).Account!;

        // The dependents' shared catalog reads the payments account's buckets; the wizards' catalog of that account is that read.
        var read = await App.Get<KmsDashboard.Core.Dependents.BucketCatalog>().GetAsync(Payments, refresh: true, default);

        Assert.NotNull(read.ReadAt);
        Assert.Same(read, accounts.Buckets(payments)!.Current);
    }

    [Fact]
    public async Task AutomaticRotationIsTurnedOnForAPaymentsKeySetInThatAccountInTheUsersName()
    {
        var automatic = App.Get<AutomaticRotationService>();
        var ledger = await SetAsync("settlement-ledger");
        var candidate = Assert.Single(automatic.Candidates(new RotationCandidateFilter { Account = Payments }), c => c.KeyId == ledger.KeyId);
        Assert.All(automatic.Candidates(new RotationCandidateFilter { Account = Payments }), c => Assert.Equal(Payments, c.Account));
        Assert.Contains($":{Payments}:key/{ledger.KeyId}", candidate.Reference);
        Assert.Contains(automatic.Candidates(new RotationCandidateFilter()), c => c.Account == SecurityAccount);
        fixture.Calls.Clear();

        // A bare key id names no account, and an account the dashboard does not read is refused: nothing is sent.
        var unnamed = await automatic.PlanAsync(Otto, new AutomaticRotationRequest { KeyIds = [ledger.KeyId], RotationPeriod = "365" }, default);
        var unknown = await automatic.PlanAsync(Otto, new AutomaticRotationRequest { KeyIds = [ledger.KeyId], Account = "999999999999", RotationPeriod = "365" }, default);
        Assert.Equal(PlanStatus.Invalid, unnamed.Status);
        Assert.Contains(unnamed.Problems, p => p.Contains("Choose the account", StringComparison.Ordinal));
        Assert.Equal(PlanStatus.Invalid, unknown.Status);
        Assert.Contains(unknown.Problems, p => p.Contains("999999999999 is not one of the dashboard's accounts", StringComparison.Ordinal));
        Assert.Empty(fixture.Sent);

        var plan = await automatic.PlanAsync(Otto, new AutomaticRotationRequest { KeyIds = [candidate.Reference], RotationPeriod = "365" }, default);
        Assert.Equal(PlanStatus.Ready, plan.Status);
        var change = Assert.Single(plan.Changes);
        Assert.Equal((RotationChangeKind.TurnOn, Payments, "eu-west-1"), (change.Kind, change.Account, change.PrimaryRegion));
        Assert.Equal("demo-payments (444455556666)", change.AccountLabel);
        // Planning read only the payments account.
        Assert.All(fixture.Sent, c => Assert.Equal(Payments, c.Account));

        var result = await automatic.ExecuteAsync(Otto, plan, plan.ConfirmationText, default);

        Assert.Equal(ActionOutcome.Succeeded, result.Outcome);
        Assert.Equal(Payments, Assert.Single(result.KeySets).Account);
        var status = await PaymentsKms("eu-west-1").GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = ledger.KeyId });
        Assert.Equal((true, 365), (status.KeyRotationEnabled, status.RotationPeriodInDays));
        AssertActedBy(Assert.Single(await TrailAsync("EnableKeyRotation", ledger.Members["eu-west-1"].Arn)), "Otto-Operator");
        Assert.DoesNotContain(fixture.Sent, c => c.Account == SecurityAccount && c.Call.Operation == "EnableKeyRotation");
        var entry = (await App.Get<ActionJournal>().QueryAsync(new JournalQuery { Action = AutomaticRotationService.JournalAction }, default)).Single(e => e.Outcome == "Succeeded");
        Assert.Contains($"\"Account\":\"{Payments}\"", entry.Plan);
        Assert.Contains(candidate.Reference, entry.Inputs);
    }

    [Fact]
    public async Task AnOnDemandRotationOfAPaymentsKeySetRotatesAndChecksEveryRegionOfThatAccount()
    {
        var onDemand = App.Get<OnDemandRotationService>();
        var ledger = await SetAsync("settlement-ledger");
        fixture.Calls.Clear();

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => onDemand.ReadAsync(ledger.KeyId, null, default));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => onDemand.PlanAsync(Otto, ledger.KeyId, "999999999999", default));
        var malformed = await Assert.ThrowsAsync<ArgumentException>(() => onDemand.ReadAsync(ledger.KeyId, "12", default));
        Assert.Contains("Choose the account", missing.Message, StringComparison.Ordinal);
        Assert.Contains("999999999999 is not one of the dashboard's accounts", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("is not an AWS account id", malformed.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Sent);

        var plan = await onDemand.PlanAsync(Otto, ledger.KeyId, Payments, default);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Action.Problems));
        Assert.Equal((Payments, "demo-payments (444455556666)"), (plan.Status.Account, plan.Status.AccountLabel));
        Assert.Equal(["eu-west-1", "us-east-1"], plan.Status.Regions);

        var result = await onDemand.ExecuteAsync(Otto, plan, null, default);

        Assert.True(result.Verified, result.Summary);
        Assert.Equal(2, result.Regions.Count);
        Assert.All(result.Regions, r => Assert.True(r.Verified, $"{r.Region}: {r.NewRoundTripMessage} {r.OldCiphertextMessage}"));
        AssertActedBy(Assert.Single(await TrailAsync("RotateKeyOnDemand", ledger.Members["eu-west-1"].Arn)), "Otto-Operator");
        Assert.All(fixture.Sent.Where(c => c.Call.Service == "kms"), c => Assert.Equal(Payments, c.Account));
    }

    [Fact]
    public async Task AManualRotationOfAPaymentsKeySetRunsToTheEndInThatAccountAcrossRestartsAndAWrongOrMissingAccountIsRefused()
    {
        var vault = await SetAsync("card-vault");
        var runbooks = App.Get<RunbookService>();
        fixture.Calls.Clear();

        // Refused before any call: no account, an account the dashboard does not read, a malformed one.
        var (none, noAccount) = await runbooks.StartAsync(Otto, new ManualRotationInputs { KeyId = vault.KeyId, DrainHours = 1 }, default);
        var (_, unknown) = await runbooks.StartAsync(Otto, new ManualRotationInputs { KeyId = vault.KeyId, Account = "999999999999", DrainHours = 1 }, default);
        var (_, malformed) = await runbooks.StartAsync(Otto, new RetireInputs { KeyId = vault.KeyId, Account = "12" }, default);
        Assert.Null(none);
        Assert.Equal("Choose the account the key set lives in: the dashboard reads several accounts.", Assert.Single(noAccount));
        Assert.Equal("Account 999999999999 is not one of the dashboard's accounts.", Assert.Single(unknown));
        Assert.Equal("'12' is not an AWS account id (12 digits).", Assert.Single(malformed));
        Assert.Empty(fixture.Sent);

        var (started, problems) = await runbooks.StartAsync(Otto, new ManualRotationInputs { KeyId = vault.KeyId, Account = Payments, DrainHours = 1 }, default);
        Assert.Empty(problems);
        var id = started!.Value;
        Assert.Equal(Payments, (await runbooks.GetAsync(id, default))!.Runbook.Account);
        Assert.Equal(Payments, (await runbooks.ListAsync(default)).Single(r => r.Id == id).Account);

        await RunAsync(id, "choose");
        await RunAsync(id, "create");
        await App.RestartAsync(); // a new container over the same runbooks.db: the account comes from the record
        await RunAsync(id, "replicate");
        await RunAsync(id, "move-aliases");
        await App.RestartAsync();
        await RunAsync(id, "verify");
        await RunAsync(id, "reencrypt-s3");
        await App.RestartAsync();
        await App.Get<RunbookService>().ReleaseAsync(Otto, id, default); // "Let go": the Admin goes on
        await RunAsync(id, "watch", Ada, new RunbookStepOptions { OverrideReason = "the payments test traffic is modelled, not real" });
        await RunAsync(id, "disable", Ada, new RunbookStepOptions { WaitingDays = 0 });
        await RunAsync(id, "schedule-deletion", Ada, new RunbookStepOptions { PendingWindowDays = 7 });

        var view = (await App.Get<RunbookService>().GetAsync(id, default))!;
        Assert.Equal(RunbookStatus.Finished, view.Runbook.Status);
        using (var export = new MemoryStream())
        {
            await RunbookExport.WriteJsonAsync(view, export, default);
            Assert.Equal(Payments, JsonDocument.Parse(export.ToArray()).RootElement.GetProperty("account").GetString());
        }
        // The CSV names the account too, by id and name, on every row (through the shared CSV writer).
        using (var csvText = new StringWriter())
        {
            await RunbookExport.WriteCsvAsync(view, csvText, default);
            var rows = csvText.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("RunbookId,Kind,Title,KeyId,Account,AccountName,StartedBy,", rows[0], StringComparison.Ordinal);
            Assert.All(rows.Skip(1), row => Assert.Contains($",{vault.KeyId},{Payments},demo-payments,", row, StringComparison.Ordinal));
        }
        var state = JsonSerializer.Deserialize<KeySetRunbookState>(view.Runbook.State, new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;
        var newKey = state.NewKeyId!;

        // The new key set and the moved aliases are the payments account's, in each of its Regions; the management account has no such key.
        foreach (var region in PaymentsRegions)
        {
            var alias = (await PaymentsKms(region).DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = "alias/card-vault" })).KeyMetadata;
            Assert.Equal(newKey, alias.KeyId);
            Assert.Contains($":{Payments}:key/", alias.Arn);
            var old = (await PaymentsKms(region).DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = vault.KeyId })).KeyMetadata;
            Assert.Equal(region == "us-east-1" ? "PendingReplicaDeletion" : "PendingDeletion", old.KeyState.Value);
        }
        await Assert.ThrowsAsync<Amazon.KeyManagementService.Model.NotFoundException>(() =>
            App.Kms("us-east-1").DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = newKey }));
        Assert.Equal(1, fixture.Sent.Count(c => c.Account == Payments && c.Call.Operation == "CreateKey" && c.Call.Region == "us-east-1" && c.Call.ErrorCode is null));
        Assert.DoesNotContain(fixture.Sent, c => c.Account == SecurityAccount && c.Call.Service is "kms" or "s3" && !c.Call.ReadOnly);

        // S3 in the payments account: every archived object is now under the new key, and the replication rule names its new replica.
        var s3 = Accounts.Clients(PaymentsAccount).S3("us-east-1");
        var objects = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "payments-card-archive" })).S3Objects ?? [];
        Assert.Equal(6, objects.Count);
        foreach (var item in objects)
            Assert.Equal(state.NewArns["us-east-1"], (await s3.GetObjectMetadataAsync("payments-card-archive", item.Key)).ServerSideEncryptionKeyManagementServiceKeyId);
        var rule = (await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "payments-card-archive" })).Configuration.Rules.Single();
        Assert.Equal(state.NewArns["eu-west-1"], rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID);
        // Its Irish replica bucket named the old replica key by ARN: its objects moved to the new replica, its default to the alias.
        var s3Eu = Accounts.Clients(PaymentsAccount).S3("eu-west-1");
        var replicas = (await s3Eu.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "payments-card-archive-eu" })).S3Objects ?? [];
        Assert.NotEmpty(replicas);
        foreach (var item in replicas)
            Assert.Equal(state.NewArns["eu-west-1"], (await s3Eu.GetObjectMetadataAsync("payments-card-archive-eu", item.Key)).ServerSideEncryptionKeyManagementServiceKeyId);
        var euDefault = (await s3Eu.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = "payments-card-archive-eu" }))
            .ServerSideEncryptionConfiguration.ServerSideEncryptionRules.Single().ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId;
        Assert.Equal("alias/card-vault", euDefault);
        Assert.Contains("2 bucket(s)", view.Runbook.Steps.Single(s => s.Name == "reencrypt-s3").Summary);

        // The payments account's CloudTrail names the people: the operator's key, aliases and copies, the Admin's disable.
        AssertActedBy(Assert.Single(await TrailAsync("CreateKey", state.NewArns["us-east-1"])), "Otto-Operator");
        foreach (var region in PaymentsRegions)
            AssertActedBy(Assert.Single(await TrailAsync("UpdateAlias", state.NewArns[region])), "Otto-Operator");
        var copies = await TrailAsync("GenerateDataKey", state.NewArns["us-east-1"]);
        Assert.Contains(copies, e => e.GetProperty("userIdentity").TryGetProperty("sessionContext", out var s)
                                     && s.GetProperty("sourceIdentity").GetString() == "Otto-Operator");
        foreach (var region in PaymentsRegions)
            AssertActedBy(Assert.Single(await TrailAsync("DisableKey", vault.Members[region].Arn)), "Ada-Admin");

        // The journal records the account on every step.
        var entries = await App.Get<ActionJournal>().QueryAsync(new JournalQuery { KeyId = vault.KeyId }, default);
        Assert.All(entries.Where(e => e.Action.StartsWith("Runbook.ManualRotation.", StringComparison.Ordinal) && e.Action != "Runbook.ManualRotation.start"),
            e => Assert.Contains($"\"account\":\"{Payments}\"", e.Inputs));
        Assert.Contains(entries, e => e.Action == "Runbook.ManualRotation.start" && e.Inputs.Contains($"\"Account\":\"{Payments}\"", StringComparison.Ordinal));
        // The journal's key links read it back from every entry of the runbook.
        Assert.All(entries.Where(e => e.Action.StartsWith("Runbook.ManualRotation.", StringComparison.Ordinal)), e => Assert.Equal(Payments, RecordedAccount.Of(e.Inputs, e.Plan)));
    }

    [Fact]
    public async Task ARunbookStoredBeforeAccountsWorksInTheDashboardsOwnAccountAndOneWhoseAccountIsNoLongerReadIsRefused()
    {
        if (App.Get<KeyInventory>().Current.ReadAt is null) await fixture.RefreshAsync();
        var prod = App.Get<KeyInventory>().Current.KeySets.Single(s => s.DisplayName == "payments-prod" && s.Account == SecurityAccount);
        var runbooks = App.Get<RunbookService>();
        var (started, problems) = await runbooks.StartAsync(Otto, new ManualRotationInputs { KeyId = prod.KeyId, Account = SecurityAccount, DrainHours = 1 }, default);
        Assert.Empty(problems);
        var id = started!.Value;

        // As a runbook stored before accounts existed: no account, so the dashboard's own (demo-security), where the key set is.
        await SetStoredAccountAsync(id, "");
        var plan = await runbooks.PlanStepAsync(Otto, id, null, default);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        Assert.Contains(plan.Notes, n => n.StartsWith($"Old key set {prod.KeyId}: primary in", StringComparison.Ordinal));

        // An account the dashboard no longer reads: refused at planning and running, nothing sent.
        await SetStoredAccountAsync(id, Unknown);
        fixture.Calls.Clear();
        var run = await runbooks.ExecuteAsync(Otto, plan, null, default);
        var refused = await runbooks.PlanStepAsync(Otto, id, null, default);
        Assert.True(run.Refused);
        Assert.Contains($"account {Unknown}, which is no longer one of the dashboard's accounts", run.Summary);
        Assert.False(refused.CanExecute);
        Assert.Contains($"account {Unknown}, which is no longer one of the dashboard's accounts", Assert.Single(refused.Problems));
        Assert.Empty(fixture.Sent);
    }

    private async Task SetStoredAccountAsync(Guid id, string account)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(App.DataDirectory, RunbookStore.FileName)}");
        await db.OpenAsync();
        var update = db.CreateCommand();
        update.CommandText = "UPDATE runbooks SET Account = $account WHERE upper(Id) = upper($id)";
        update.Parameters.AddWithValue("$account", account);
        update.Parameters.AddWithValue("$id", id.ToString());
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    private async Task RunAsync(Guid id, string step, ClaimsPrincipal? user = null, RunbookStepOptions? options = null)
    {
        user ??= Otto;
        var runbooks = App.Get<RunbookService>();
        var plan = await runbooks.PlanStepAsync(user, id, options, default);
        Assert.True(plan.StepName == step, $"Expected step {step}, the runbook is at {plan.StepName}.");
        Assert.True(plan.CanExecute || plan.Status == PlanStatus.NothingToDo, $"{step}: {plan.Status} {string.Join(" ", plan.Problems)}");
        var result = await runbooks.ExecuteAsync(user, plan, plan.ConfirmationTexts.FirstOrDefault(), default);
        Assert.False(result.Refused, result.Summary);
        Assert.True(result.State is RunbookStepState.Done or RunbookStepState.Skipped,
            $"{step}: {result.State}. {result.Summary} " + string.Join(" ", result.Regions.Select(r => $"[{r.Region} {r.State}: {r.Message}]")));
    }
}
