using System.Security.Claims;
using System.Text;
using System.Text.Json;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Accounts.AccountsSandboxApp;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// The audit over the sandbox's two demo accounts and an account whose role cannot be assumed: each account's CloudTrail
/// is read (the payments account's through its role), events carry their account, the account filter, the export.
/// </summary>
public sealed class AuditAccountsTests : IAsyncLifetime
{
    private AccountsSandboxApp _sandbox = default!;

    public async Task InitializeAsync() => _sandbox = await AccountsSandboxApp.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static readonly ClaimsPrincipal Auditor =
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "auditor@example.com"), new Claim(ClaimTypes.Role, DashboardRoles.Auditor)], "test"));

    private DateTimeOffset Now => _sandbox.Server.Services.GetRequiredService<SandboxClock>().UtcNow;

    private async Task<AuditService> AuditAsync(bool withUnknown)
    {
        var app = _sandbox.App(DemoAccounts(withUnknown), (s, _) => { s.AddDashboardAuthorization(); s.AddInventory(); s.AddDashboardAudit(); });
        await app.GetRequiredService<KeyInventory>().RefreshAsync(CancellationToken.None);
        return app.GetRequiredService<AuditService>();
    }

    /// <summary>LookupEvents requests each sandbox account's CloudTrail served, by Region.</summary>
    private Dictionary<string, int> LookupsServed(string account)
    {
        var meter = _sandbox.Server.Services.GetRequiredService<SandboxAccounts>().ServicesOf(account).GetRequiredService<CloudTrailRateMeter>();
        return meter.Regions.ToDictionary(r => r, meter.Total);
    }

    private AuditQuery AllKmsEvents(string account = "") => new() { Regions = Regions, Start = Now.AddHours(-2), End = Now, Account = account };

    [Fact]
    public async Task EveryAccountsCloudTrailIsReadAndAnUnassumableAccountFailsAsItsRegionsWhileTheOthersLoad()
    {
        var audit = await AuditAsync(withUnknown: true);
        var reports = new List<AuditSearchProgress>();

        var result = await audit.SearchAsync(AllKmsEvents(), Auditor, new AuditSearchLimits(5_000), new SyncProgress<AuditSearchProgress>(reports.Add), CancellationToken.None);

        // Six Regions of the security account, three of payments, six of the account whose role cannot be assumed.
        Assert.True(audit.MultiAccount);
        Assert.Equal(Regions.Length + PaymentsRegions.Length + Regions.Length, result.Regions.Count);
        var failed = result.Regions.Where(r => r.Error is not null).ToList();
        Assert.Equal(Regions.Length, failed.Count);
        Assert.All(failed, r =>
        {
            Assert.Equal(Unknown, r.Account);
            Assert.Equal("demo-gone", r.AccountName);
            Assert.Contains("Could not assume arn:aws:iam::777788889999:role/KmsDashboard", r.Error);
            Assert.NotNull(r.FailingSince);
            Assert.Equal(0, r.Pages);
        });
        Assert.Equal(PaymentsRegions.Order(), result.Regions.Where(r => r.Account == Payments).Select(r => r.Region).Order());
        Assert.Equal("demo-payments us-east-1", result.Regions.Single(r => r.Account == Payments && r.Region == "us-east-1").Label);

        // Every event carries the account it was read from; each account's events name only its own keys.
        Assert.All(result.Events, e => Assert.Contains(e.Account, new[] { SecurityAccount, Payments }));
        var payments = result.Events.Where(e => e.Account == Payments).ToList();
        var security = result.Events.Where(e => e.Account == SecurityAccount).ToList();
        Assert.NotEmpty(payments);
        Assert.NotEmpty(security);
        Assert.All(payments, e => Assert.Equal("demo-payments", e.AccountName));
        Assert.All(payments, e => Assert.All(e.KeyArns, arn => Assert.Contains($":{Payments}:key/", arn)));
        Assert.All(security, e => Assert.All(e.KeyArns, arn => Assert.Contains($":{SecurityAccount}:key/", arn)));
        Assert.All(payments, e => Assert.Contains(e.Region, PaymentsRegions));
        // Merged newest first across accounts.
        Assert.Equal(result.Events.Select(e => e.EventTime).OrderByDescending(t => t), result.Events.Select(e => e.EventTime));

        // Progress named every account-Region, and the failing ones as failed.
        Assert.Equal(result.Regions.Count, reports[^1].Regions.Count);
        Assert.All(reports[^1].Regions.Where(r => r.Account == Unknown), r => Assert.NotNull(r.Error));
        Assert.All(reports[^1].Regions, r => Assert.True(r.Done));

        // Each account's CloudTrail answered its own Regions, at most two requests a second in each.
        var paymentsServed = LookupsServed(Payments);
        Assert.Equal(PaymentsRegions.Order(), paymentsServed.Where(kv => kv.Value > 0).Select(kv => kv.Key).Order());
        var meters = new[] { SecurityAccount, Payments }.Select(a => _sandbox.Server.Services.GetRequiredService<SandboxAccounts>().ServicesOf(a).GetRequiredService<CloudTrailRateMeter>());
        Assert.All(meters, m => Assert.All(m.Regions, r => Assert.InRange(m.MaxPerSecond(r), 1, 2)));

        // The record of a payments event is read again from the payments account's CloudTrail.
        var record = await audit.ReadRecordAsync(payments[0], Auditor, CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal(Payments, JsonDocument.Parse(record!).RootElement.GetProperty("recipientAccountId").GetString());
    }

    [Fact]
    public async Task TheAccountFilterReadsThatAccountOnlyAndAKeyIsSearchedInItsOwnAccount()
    {
        var audit = await AuditAsync(withUnknown: true);

        var payments = await audit.SearchAsync(AllKmsEvents(Payments), Auditor, 5_000, CancellationToken.None);

        Assert.Equal(PaymentsRegions.Order(), payments.Regions.Select(r => r.Region).Order());
        Assert.All(payments.Regions, r => Assert.Equal(Payments, r.Account));
        Assert.All(payments.Regions, r => Assert.Null(r.Error));
        Assert.NotEmpty(payments.Events);
        Assert.All(payments.Events, e => Assert.Equal(Payments, e.Account));
        Assert.DoesNotContain(LookupsServed(SecurityAccount), kv => kv.Value > 0);
        Assert.Contains("account 444455556666", payments.Plan.Query.Describe());
        Assert.Contains("account=444455556666", payments.Plan.Query.ToQueryString());

        // card-vault lives in the payments account: the key filter reads its key set there, in its three Regions.
        var cardVault = await audit.PlanAsync(new AuditQuery { KeySetRegions = true, Start = Now.AddHours(-6), End = Now, Filter = AuditFilterKind.Key, Value = "alias/card-vault" },
            Auditor, CancellationToken.None);
        Assert.All(cardVault.Lookups, l => Assert.Equal(Payments, l.Account));
        Assert.All(cardVault.Lookups, l => Assert.Contains($":{Payments}:key/", l.AttributeValue));
        Assert.Equal(PaymentsRegions.Order(), cardVault.Regions.Order());
        // An alias every account has (AWS's own) resolves in each account; narrowed to one account, in that one only.
        var s3 = await audit.PlanAsync(new AuditQuery { KeySetRegions = true, Start = Now.AddHours(-6), End = Now, Filter = AuditFilterKind.Key, Value = "alias/aws/s3", Account = SecurityAccount },
            Auditor, CancellationToken.None);
        Assert.All(s3.Lookups, l => Assert.Equal(SecurityAccount, l.Account));
        var noSuchKeyThere = await Assert.ThrowsAsync<AuditQueryException>(() => audit.PlanAsync(
            new AuditQuery { KeySetRegions = true, Start = Now.AddHours(-6), End = Now, Filter = AuditFilterKind.Key, Value = "alias/card-vault", Account = SecurityAccount },
            Auditor, CancellationToken.None));
        Assert.Contains("in account demo-security (111122223333)", noSuchKeyThere.Message);
    }

    [Theory]
    [InlineData("12", "'12' is not an AWS account id (12 digits).")]
    [InlineData("44445555666x", "is not an AWS account id")]
    [InlineData("999999999999", "Account 999999999999 is not one of the dashboard's accounts")]
    public async Task AMalformedOrUnknownAccountIsRefusedWithAMessageAndNoCloudTrailCall(string account, string message)
    {
        var audit = await AuditAsync(withUnknown: false);

        var search = await Assert.ThrowsAsync<AuditQueryException>(() => audit.SearchAsync(AllKmsEvents(account), Auditor, 100, CancellationToken.None));
        var export = await Assert.ThrowsAsync<AuditQueryException>(() => audit.ExportAsync(AllKmsEvents(account), Auditor, AuditExportFormat.Csv, Stream.Null, null, CancellationToken.None));

        Assert.Contains(message, search.Message);
        Assert.Contains(message, export.Message);
        Assert.Empty(LookupsServed(SecurityAccount));
        Assert.Empty(LookupsServed(Payments));
    }

    [Fact]
    public async Task TheCsvExportHasAnAccountColumnAndIsCompleteOnlyWhenEveryAccountRegionFinished()
    {
        var audit = await AuditAsync(withUnknown: true);
        var query = AllKmsEvents() with { Start = Now.AddMinutes(-30) };
        using var failing = new MemoryStream();

        var incomplete = await audit.ExportAsync(query, Auditor, AuditExportFormat.Csv, failing, null, CancellationToken.None);

        var lines = Encoding.UTF8.GetString(failing.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("Accounts read: demo-security (111122223333): us-east-1", lines[0]);
        Assert.Contains("demo-payments (444455556666): us-east-1 eu-west-1 ap-southeast-1", lines[0]);
        var columns = lines[1].Split(',');
        Assert.Equal(["eventTime", "account", "accountName", "awsRegion"], columns[..4]);
        Assert.Equal(AuditExportWriter.CsvColumns.Length + 2, columns.Length);
        Assert.False(incomplete.Complete);
        Assert.StartsWith("# INCOMPLETE (demo-gone us-east-1: Could not assume arn:aws:iam::777788889999:role/KmsDashboard", lines[^1]);
        var rows = lines[2..^1].Select(l => l.Split(',')).ToList();
        Assert.Equal(incomplete.Events, rows.Count);
        Assert.Contains(rows, r => r[1] == Payments && r[2] == "demo-payments");
        Assert.Contains(rows, r => r[1] == SecurityAccount && r[2] == "demo-security");
        Assert.All(rows, r => Assert.Contains(r[1], new[] { SecurityAccount, Payments }));

        // Without the unassumable account, every account-Region reads to its end: complete.
        var healthy = await AuditAsync(withUnknown: false);
        using var output = new MemoryStream();
        var complete = await healthy.ExportAsync(query, Auditor, AuditExportFormat.Csv, output, null, CancellationToken.None);
        var done = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(complete.Complete);
        Assert.Equal(Regions.Length + PaymentsRegions.Length, complete.Regions.Count);
        Assert.StartsWith($"# complete | events: {complete.Events} | pages: {complete.Pages} | accounts: 2 | Regions: {Regions.Length + PaymentsRegions.Length}", done[^1]);
    }

    [Fact]
    public async Task JsonLinesRecordsCarryTheirAccountInFrontOfCloudTrailsFields()
    {
        var audit = await AuditAsync(withUnknown: false);
        using var output = new MemoryStream();

        var result = await audit.ExportAsync(AllKmsEvents(Payments) with { Start = Now.AddMinutes(-30) }, Auditor, AuditExportFormat.JsonLines, output, null, CancellationToken.None);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = JsonDocument.Parse(lines[0]).RootElement.GetProperty("export");
        Assert.Equal(Payments, header.GetProperty("accounts")[0].GetProperty("id").GetString());
        var summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("exportSummary");
        Assert.True(summary.GetProperty("complete").GetBoolean());
        Assert.All(summary.GetProperty("regions").EnumerateArray(), r => Assert.Equal(Payments, r.GetProperty("Account").GetString()));
        var records = lines[1..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(result.Events, records.Count);
        Assert.NotEmpty(records);
        Assert.All(records, r =>
        {
            Assert.Equal(Payments, r.GetProperty("account").GetString());
            Assert.Equal("demo-payments", r.GetProperty("accountName").GetString());
            // CloudTrail's own fields are kept as they came.
            Assert.Equal(Payments, r.GetProperty("recipientAccountId").GetString());
            Assert.Equal("kms.amazonaws.com", r.GetProperty("eventSource").GetString());
        });
    }

    [Fact]
    public async Task TheActivityChartCountsEveryAccountsEvents()
    {
        var audit = await AuditAsync(withUnknown: false);
        var query = AllKmsEvents();

        var result = await audit.SearchAsync(query, Auditor, 5_000, CancellationToken.None);
        var activity = AuditActivity.Build(result.Events, query.Start, query.End, AuditActivityGrouping.EventName);

        Assert.Equal(result.Events.Count, activity.Total);
        Assert.Equal(result.Events.Count, AuditActivity.Build(result.Events, query.Start, query.End, AuditActivityGrouping.User).Total);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
