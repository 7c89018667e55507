using System.Security.Claims;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// Core over the sandbox's two demo accounts (demo-security 111122223333, the management account, and demo-payments
/// 444455556666), read through the role "KmsDashboard" each account holds, plus an account whose role cannot be
/// assumed: the real SDK clients, STS AssumeRole and the real services.
/// </summary>
public sealed class SandboxAccountsTests : IAsyncLifetime
{
    private const string Security = "111122223333", Payments = "444455556666", Unknown = "777788889999";
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];
    private static readonly string[] PaymentsRegions = ["us-east-1", "eu-west-1", "ap-southeast-1"];

    private SandboxServer _server = default!;
    private readonly List<ServiceProvider> _apps = [];
    private readonly List<string> _directories = [];

    public async Task InitializeAsync() =>
        _server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });

    private ServiceProvider App(Dictionary<string, string?> accounts)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kmsdashboard-accounts-" + Guid.NewGuid().ToString("N"));
        _directories.Add(dataDirectory);
        var values = new Dictionary<string, string?>(accounts)
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = _server.Url.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
            ["Inventory:ReadLastUse"] = "false",
        };
        for (var i = 0; i < Regions.Length; i++) values[$"Backend:Regions:{i}"] = Regions[i];
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddDashboardAuthorization();
        services.AddInventory();
        services.AddKeyActions(dataDirectory);
        var app = services.BuildServiceProvider();
        _apps.Add(app);
        return app;
    }

    private static Dictionary<string, string?> Account(int index, string id, string name, string[]? regions = null)
    {
        var values = new Dictionary<string, string?>
        {
            [$"Backend:Accounts:{index}:Id"] = id,
            [$"Backend:Accounts:{index}:Name"] = name,
            [$"Backend:Accounts:{index}:RoleName"] = "KmsDashboard",
            [$"Backend:Accounts:{index}:ExternalId"] = "kmsdash-demo",
        };
        for (var i = 0; i < (regions ?? []).Length; i++) values[$"Backend:Accounts:{index}:Regions:{i}"] = regions![i];
        return values;
    }

    private static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task TheInventoryGroupsKeysPerAccountAndAnAccountWhoseRoleCannotBeAssumedFailsWhileTheOthersLoad()
    {
        var app = App(Merge(Account(0, Security, "demo-security"), Account(1, Payments, "demo-payments", PaymentsRegions), Account(2, Unknown, "demo-gone")));
        var inventory = app.GetRequiredService<KeyInventory>();

        await inventory.RefreshAsync(CancellationToken.None);
        var snapshot = inventory.Current;

        Assert.True(snapshot.MultiAccount);
        Assert.Equal([Security, Payments, Unknown], snapshot.Accounts.Select(a => a.Id));
        var security = snapshot.FindAccount(Security)!;
        var payments = snapshot.FindAccount(Payments)!;
        var gone = snapshot.FindAccount(Unknown)!;
        Assert.True(security.Healthy, security.Error);
        Assert.True(payments.Healthy, payments.Error);
        Assert.Equal(PaymentsRegions.Order(), payments.Regions.Keys.Order());
        // The failing account says what failed and since when; the others loaded in full.
        Assert.False(gone.Healthy);
        Assert.Contains("Could not assume arn:aws:iam::777788889999:role/KmsDashboard", gone.Error);
        Assert.Contains("AccessDenied", gone.Error);
        Assert.NotNull(gone.FailingSince);
        Assert.True(security.KeyCount > payments.KeyCount && payments.KeyCount > 0, $"{security.KeyCount} / {payments.KeyCount}");

        // Every key carries the account its ARN names, and a key set never spans accounts.
        Assert.All(snapshot.AllKeys, k => Assert.Contains($":{k.Account}:key/", k.Arn));
        Assert.All(snapshot.KeySets, s => Assert.Single(s.Members.Values.Select(m => m.Account).Distinct()));
        var cardVault = Assert.Single(snapshot.KeySets, s => s.DisplayName == "card-vault");
        Assert.Equal(Payments, cardVault.Account);
        Assert.Equal(PaymentsRegions.Order(), cardVault.Members.Keys.Order());
        Assert.Contains(snapshot.KeySets, s => s.Account == Security);
        Assert.DoesNotContain(snapshot.AllKeys, k => k.Account == Unknown);
        // A Region's status sums its accounts: every Region read (the unassumable account is an account failure).
        Assert.All(snapshot.Regions, r => Assert.True(snapshot.StatusOf(r).Healthy, snapshot.StatusOf(r).Error));
        Assert.Equal(security.Regions["us-east-1"].KeyCount + payments.Regions["us-east-1"].KeyCount, snapshot.StatusOf("us-east-1").KeyCount);
    }

    [Fact]
    public async Task AnActionInAMemberAccountRunsInTheUsersNameAndThatAccountsCloudTrailShowsTheSourceIdentity()
    {
        var app = App(Merge(Account(0, Security, "demo-security"), Account(1, Payments, "demo-payments", PaymentsRegions)));
        var inventory = app.GetRequiredService<KeyInventory>();
        await inventory.RefreshAsync(CancellationToken.None);
        var fraud = Assert.Single(inventory.Current.SingleRegionKeys, k => k.DisplayName == "fraud-scoring" && k.Account == Payments);
        var operations = app.GetRequiredService<KeyOperations>();
        var ada = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "Ada Lovelace"), new Claim(ClaimTypes.Role, DashboardRoles.Admin)], "Test", ClaimTypes.Name, ClaimTypes.Role));

        // Without the account the request is refused before any call: the dashboard reads several.
        var unnamed = await operations.PlanAsync(ada, new EditDescriptionRequest { KeyId = fraud.KeyId, Region = "us-east-1", Description = "x" }, default);
        Assert.Equal(PlanStatus.Invalid, unnamed.Status);
        Assert.Contains(unnamed.Problems, p => p.Contains("Choose the account", StringComparison.Ordinal));

        var plan = await operations.PlanAsync(ada, new EditDescriptionRequest { KeyId = fraud.KeyId, Region = "us-east-1", Account = Payments, Description = "Fraud scoring features (reviewed)" }, default);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        Assert.Equal(Payments, plan.Account);
        var result = await operations.ExecuteAsync(ada, plan, plan.KeyId, CancellationToken.None);
        Assert.Equal(ActionOutcome.Succeeded, result.Outcome);

        // The inventory re-read the key in its own account.
        Assert.Equal("Fraud scoring features (reviewed)", inventory.Current.Find(new KeyRef("us-east-1", fraud.KeyId, Payments))!.Description);
        // The journal records the account.
        var entry = (await app.GetRequiredService<KmsDashboard.Core.Journal.ActionJournal>().QueryAsync(new KmsDashboard.Core.Journal.JournalQuery(), default))
            .Single(e => e.Action == nameof(KeyAction.EditDescription) && e.Outcome == "Succeeded");
        Assert.Contains(Payments, entry.Inputs);
        Assert.Contains($"\"Account\":\"{Payments}\"", entry.Plan);
        // ...which the journal's key link reads back.
        Assert.Equal(Payments, KmsDashboard.Core.Journal.RecordedAccount.Of(entry.Inputs, entry.Plan));
        Assert.Equal($"keys/{fraud.KeyId}?region=us-east-1&account={Payments}",
            KmsDashboard.Core.Journal.RecordedAccount.KeyHref(entry.KeyId, entry.Region, KmsDashboard.Core.Journal.RecordedAccount.Of(entry.Inputs, entry.Plan)));

        // The payments account's CloudTrail names the person: session name and SourceIdentity "Ada-Lovelace".
        var accounts = app.GetRequiredService<AwsAccounts>();
        var trail = new CloudTrailClient(accounts.Clients(accounts.Find(Payments)!).Credentials, "us-east-1", _server.Url, new CloudTrailRateLimiter());
        var events = await trail.LookupEventsAsync(new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = "EventName", AttributeValue = "UpdateKeyDescription" }],
            MaxResults = 50,
        });
        var update = Assert.Single(events.Events ?? [], e => e.CloudTrailEvent?.Contains(fraud.KeyId, StringComparison.Ordinal) == true);
        Assert.Equal("Ada-Lovelace", update.Username);
        using var record = JsonDocument.Parse(update.CloudTrailEvent!);
        var identity = record.RootElement.GetProperty("userIdentity");
        Assert.Equal("AssumedRole", identity.GetProperty("type").GetString());
        Assert.Equal("Ada-Lovelace", identity.GetProperty("sessionContext").GetProperty("sourceIdentity").GetString());
        Assert.Contains($"arn:aws:iam::{Payments}:role/KmsDashboard", identity.GetProperty("sessionContext").GetProperty("sessionIssuer").GetRawText());
        Assert.Equal(Payments, record.RootElement.GetProperty("recipientAccountId").GetString());
    }

    [Fact]
    public async Task OrganizationDiscoveryFindsBothDemoAccountsAndReadsThemThroughTheRole()
    {
        var app = App(new()
        {
            ["Backend:Organization:RoleName"] = "KmsDashboard",
            ["Backend:Organization:ExternalId"] = "kmsdash-demo",
        });
        var inventory = app.GetRequiredService<KeyInventory>();

        await inventory.RefreshAsync(CancellationToken.None);

        var snapshot = inventory.Current;
        Assert.Equal(["demo-payments", "demo-security"], snapshot.Accounts.Select(a => a.Name));
        Assert.All(snapshot.Accounts, a => Assert.True(a.Healthy, a.Error));
        Assert.Contains(snapshot.KeySets, s => s.Account == Payments);
        Assert.Contains(snapshot.KeySets, s => s.Account == Security);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var directory in _directories)
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
