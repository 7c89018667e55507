using System.Security.Claims;
using System.Text;
using System.Text.Json;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Tests.Inventory;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsDashboard.Core.Tests.Audit;

/// <summary>The audit service on the sandbox's demo account: key sets across Regions, searches, exports, roles.</summary>
public sealed class AuditServiceTests : IAsyncLifetime
{
    private InventoryHarness _harness = null!;
    private AuditService _audit = null!;

    public async Task InitializeAsync()
    {
        _harness = await InventoryHarness.StartAsync();
        var authorization = new ServiceCollection().AddLogging().AddDashboardAuthorization().BuildServiceProvider().GetRequiredService<IAuthorizationService>();
        _audit = new AuditService(new CloudTrailClients(_harness.Clients, new CloudTrailRateLimiter()), _harness.Inventory, _harness.Clients,
            authorization, NullLogger<AuditService>.Instance);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role.ToLowerInvariant()}@example.com"), new Claim(ClaimTypes.Role, role)], "test"));

    private static readonly ClaimsPrincipal Auditor = User(DashboardRoles.Auditor);

    private DateTimeOffset Now => _harness.Server.Services.GetRequiredService<SandboxClock>().UtcNow;

    private AuditQuery PaymentsKeySet(int hours = 8) => new()
    {
        KeySetRegions = true,
        Start = Now.AddHours(-hours),
        End = Now,
        Filter = AuditFilterKind.Key,
        Value = "alias/payments-prod",
    };

    [Fact]
    public async Task TheDashboardsOwnReadsAreRecognisedByItsUserAgentAndOthersAreNot()
    {
        await _harness.Inventory.RefreshAsync(CancellationToken.None); // DescribeKey, GetKeyPolicy… by the dashboard's clients
        // Someone else's read in the same hour: alice with the aws CLI's credentials (the seeded people read keys in business
        // hours only, so within the last hour there may be none of theirs).
        using (var alice = KeyInventoryIsolationTests.Alice(_harness.Server, "us-east-1"))
        {
            var someKey = (await alice.ListKeysAsync(new Amazon.KeyManagementService.Model.ListKeysRequest { Limit = 1 })).Keys[0].KeyId;
            try { await alice.DescribeKeyAsync(new Amazon.KeyManagementService.Model.DescribeKeyRequest { KeyId = someKey }); }
            catch (Amazon.KeyManagementService.AmazonKeyManagementServiceException) { } // refused by the key policy: still her event
        }
        var query = PaymentsKeySet(1) with { Filter = AuditFilterKind.EventName, Value = "DescribeKey", KeySetRegions = false, Regions = ["us-east-1"] };

        var result = await _audit.SearchAsync(query, Auditor, 10_000, CancellationToken.None);

        var own = result.Events.Where(e => e.IsDashboardRead).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, e => Assert.Contains("app/KmsDashboard", e.UserAgent, StringComparison.Ordinal));
        // The demo account's seeded callers (people, applications) read keys too: those stay visible.
        Assert.Contains(result.Events, e => !e.IsDashboardRead);
    }

    [Fact]
    public async Task AnAliasResolvesToEveryRelatedKeyAndFindsEventsInSeveralRegions()
    {
        var result = await _audit.SearchAsync(PaymentsKeySet(), Auditor, 10_000, CancellationToken.None);

        Assert.Equal(["ap-southeast-1", "eu-west-1", "us-east-1", "us-west-2"], result.Plan.Regions);
        Assert.True(result.Events.Select(e => e.Region).Distinct().Count() >= 3);
        var keyId = result.Plan.Lookups[0].AttributeValue!.Split('/')[^1];
        Assert.All(result.Events, e => Assert.Contains(e.KeyArns, arn => arn.EndsWith("/" + keyId, StringComparison.Ordinal)));
        Assert.Equal(result.Events.OrderByDescending(e => e.EventTime).Select(e => e.EventTime), result.Events.Select(e => e.EventTime));
        Assert.All(result.Regions, r => Assert.Null(r.Error));
    }

    [Fact]
    public async Task ACsvExportHoldsEveryEventOfTheQuery()
    {
        var query = PaymentsKeySet();
        var searched = await _audit.SearchAsync(query, Auditor, 100_000, CancellationToken.None);
        var reports = new List<AuditExportProgress>();
        using var output = new MemoryStream();

        var result = await _audit.ExportAsync(query, Auditor, AuditExportFormat.Csv, output, new SyncProgress(reports.Add), CancellationToken.None);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("# KmsDashboard CloudTrail export | query: key=alias/payments-prod", lines[0]);
        Assert.Equal(string.Join(",", AuditExportWriter.CsvColumns), lines[1]);
        Assert.StartsWith($"# complete | events: {searched.Events.Count} |", lines[^1]);
        var rows = lines[2..^1];
        var eventIdColumn = Array.IndexOf(AuditExportWriter.CsvColumns, "eventId");
        Assert.Equal(searched.Events.Select(e => e.EventId).Order(), rows.Select(r => CsvFields(r)[eventIdColumn]).Order());
        Assert.True(result.Complete);
        Assert.Equal(searched.Events.Count, result.Events);
        Assert.Equal(4, reports[^1].RegionsDone);
        Assert.Equal(result.Pages, reports[^1].Pages);
        Assert.Equal(TimeSpan.Zero, reports[^1].EstimatedRemaining);
    }

    [Fact]
    public async Task AJsonLinesExportHasOneFullRecordPerLine()
    {
        using var output = new MemoryStream();

        var result = await _audit.ExportAsync(PaymentsKeySet(2), Auditor, AuditExportFormat.JsonLines, output, null, CancellationToken.None);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("export", out _));
        var summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("exportSummary");
        Assert.Equal(result.Events, summary.GetProperty("events").GetInt64());
        Assert.True(summary.GetProperty("complete").GetBoolean());
        var records = lines[1..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(result.Events, records.Count);
        Assert.All(records, r => Assert.Equal("kms.amazonaws.com", r.GetProperty("eventSource").GetString()));
    }

    [Fact]
    public async Task AViewerMayNeitherSearchNorExport()
    {
        var viewer = User(DashboardRoles.Viewer);

        await Assert.ThrowsAsync<AuditAccessDeniedException>(() => _audit.SearchAsync(PaymentsKeySet(), viewer, 10, CancellationToken.None));
        await Assert.ThrowsAsync<AuditAccessDeniedException>(() => _audit.ExportAsync(PaymentsKeySet(), viewer, AuditExportFormat.Csv, Stream.Null, null, CancellationToken.None));
        Assert.False(await _audit.CanAuditAsync(viewer));
        Assert.True(await _audit.CanAuditAsync(User(DashboardRoles.Admin)));
        Assert.Equal(0, _harness.Server.Services.GetRequiredService<CloudTrailRateMeter>().Total("us-east-1"));
    }

    [Fact]
    public async Task QueriesCloudTrailCannotAnswerAreRefusedBeforeAnyCall()
    {
        var tooOld = PaymentsKeySet() with { Start = Now.AddDays(-120) };
        var reversed = PaymentsKeySet() with { Start = Now, End = Now.AddHours(-1) };
        var unknown = PaymentsKeySet() with { Value = "alias/no-such-key" };
        var noRegion = new AuditQuery { Start = Now.AddHours(-1), End = Now, Filter = AuditFilterKind.EventName, Value = "Decrypt" };

        var old = await Assert.ThrowsAsync<AuditQueryException>(() => _audit.PlanAsync(tooOld, Auditor, CancellationToken.None));
        await Assert.ThrowsAsync<AuditQueryException>(() => _audit.PlanAsync(reversed, Auditor, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<AuditQueryException>(() => _audit.PlanAsync(unknown, Auditor, CancellationToken.None));
        await Assert.ThrowsAsync<AuditQueryException>(() => _audit.PlanAsync(noRegion, Auditor, CancellationToken.None));

        Assert.Contains("90 days", old.Message);
        Assert.Contains("alias/no-such-key", missing.Message);
        Assert.Empty(_harness.Server.Services.GetRequiredService<CloudTrailRateMeter>().Regions);
    }

    [Fact]
    public async Task EachFilterOfTheQueryReachesCloudTrail()
    {
        var regions = new[] { "us-east-1", "eu-west-1" };
        AuditQuery Q(AuditFilterKind kind, string value) => new() { Regions = regions, Start = Now.AddHours(-6), End = Now, Filter = kind, Value = value };

        var decrypts = await _audit.SearchAsync(Q(AuditFilterKind.EventName, "Decrypt"), Auditor, 200, CancellationToken.None);
        var dashboard = await _audit.SearchAsync(Q(AuditFilterKind.User, "kms-dashboard"), Auditor, 200, CancellationToken.None);
        var payments = await _audit.SearchAsync(Q(AuditFilterKind.AccessKey, DemoAccessKeys.PaymentsLambda), Auditor, 200, CancellationToken.None);
        var changes = await _audit.SearchAsync(Q(AuditFilterKind.ReadOnly, "false"), Auditor, 200, CancellationToken.None);

        Assert.NotEmpty(decrypts.Events);
        Assert.All(decrypts.Events, e => Assert.Equal("Decrypt", e.EventName));
        Assert.All(dashboard.Events, e => Assert.Equal("kms-dashboard", e.Username));
        Assert.NotEmpty(payments.Events);
        Assert.All(payments.Events, e => Assert.Equal(DemoAccessKeys.PaymentsLambda, e.AccessKeyId));
        Assert.All(changes.Events, e => Assert.False(e.ReadOnly));
    }

    [Fact]
    public async Task CancellingAnExportStopsItAndMarksTheFileIncomplete()
    {
        using var cancel = new CancellationTokenSource();
        using var output = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _audit.ExportAsync(PaymentsKeySet(48), Auditor, AuditExportFormat.Csv, output,
            new SyncProgress(p => { if (p.Pages >= 2) cancel.Cancel(); }), cancel.Token));

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("# INCOMPLETE (cancelled)", text);
    }

    [Fact]
    public async Task ARegionThatIsDownDoesNotStopTheOthers()
    {
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
        _harness.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        using var output = new MemoryStream();

        var result = await _audit.ExportAsync(PaymentsKeySet(2), Auditor, AuditExportFormat.Csv, output, null, CancellationToken.None);

        Assert.False(result.Complete);
        Assert.Contains("ServiceUnavailable", result.Regions.Single(r => r.Region == "eu-west-1").Error);
        Assert.All(result.Regions.Where(r => r.Region != "eu-west-1"), r => Assert.Null(r.Error));
        Assert.True(result.Events > 0);
        Assert.Contains("INCOMPLETE (eu-west-1:", Encoding.UTF8.GetString(output.ToArray()));
    }

    /// <summary>The audit service reading the sandbox, except in <paramref name="failing"/> where the reader yields one page and throws.</summary>
    private AuditService WithFailingReader(string failing, Exception exception)
    {
        var clients = new CloudTrailClients(_harness.Clients, new CloudTrailRateLimiter());
        var authorization = new ServiceCollection().AddLogging().AddDashboardAuthorization().BuildServiceProvider().GetRequiredService<IAuthorizationService>();
        async IAsyncEnumerable<LookupEventsResponse> OnePageThenThrow(string region, LookupEventsRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            yield return await clients.For(region).LookupEventsAsync(request, ct);
            throw exception;
        }
        return new AuditService(clients, _harness.Inventory, _harness.Clients, authorization, NullLogger<AuditService>.Instance)
        {
            Reader = (region, request, ct) => region == failing ? OnePageThenThrow(region, request, ct) : clients.For(region).LookupAllPagesAsync(request, ct),
        };
    }

    [Fact]
    public async Task AnExportIsIncompleteWhenARegionsReaderThrowsEvenForExpiredCredentials()
    {
        var expired = new Amazon.Runtime.AmazonServiceException("The security token included in the request is expired") { ErrorCode = "ExpiredTokenException" };
        var audit = WithFailingReader("eu-west-1", expired);
        using var output = new MemoryStream();

        var result = await audit.ExportAsync(PaymentsKeySet(8), Auditor, AuditExportFormat.Csv, output, null, CancellationToken.None);

        Assert.False(result.Complete);
        Assert.Contains("ExpiredTokenException", result.Regions.Single(r => r.Region == "eu-west-1").Error);
        Assert.All(result.Regions.Where(r => r.Region != "eu-west-1"), r => Assert.Null(r.Error));
        var last = Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Contains("INCOMPLETE (eu-west-1: ExpiredTokenException: The security token included in the request is expired)", last);
        Assert.DoesNotContain("complete |", last.Replace("INCOMPLETE", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnyExceptionInOneRegionsReaderFailsThatRegionOnly()
    {
        var audit = WithFailingReader("us-west-2", new InvalidOperationException("reader bug"));
        using var output = new MemoryStream();

        var export = await audit.ExportAsync(PaymentsKeySet(8), Auditor, AuditExportFormat.JsonLines, output, null, CancellationToken.None);
        var search = await audit.SearchAsync(PaymentsKeySet(8), Auditor, 10_000, CancellationToken.None);

        Assert.False(export.Complete);
        Assert.Equal("InvalidOperationException: reader bug", export.Regions.Single(r => r.Region == "us-west-2").Error);
        var summary = JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("exportSummary");
        Assert.False(summary.GetProperty("complete").GetBoolean());
        Assert.Equal("InvalidOperationException: reader bug", search.Regions.Single(r => r.Region == "us-west-2").Error);
        Assert.Contains(search.Events, e => e.Region != "us-west-2");
    }

    [Fact]
    public async Task NarrowingSendsTheMostSelectiveAttributeToCloudTrailAndChecksTheRestHere()
    {
        var decrypts = new AuditQuery { Regions = ["us-east-1"], Start = Now.AddHours(-6), End = Now, EventName = "Decrypt" };
        var user = (await _audit.SearchAsync(decrypts, Auditor, 10_000, CancellationToken.None)).Events
            .Where(e => e.Username.Length > 0).GroupBy(e => e.Username).MaxBy(g => g.Count())!.Key;
        var query = decrypts with { ReadOnly = true, User = user };
        var reports = new List<AuditSearchProgress>();

        var result = await _audit.SearchAsync(query, Auditor, new AuditSearchLimits(10_000), new SyncProgress<AuditSearchProgress>(reports.Add), CancellationToken.None);

        Assert.Equal(LookupAttributeKey.EventName, Assert.Single(result.Plan.Lookups).AttributeKey);
        Assert.Equal([LookupAttributeKey.Username, LookupAttributeKey.ReadOnly], result.Plan.ClientSide.Select(c => c.Attribute));
        Assert.Contains(result.Plan.Notes, n => n.Contains($"user {user}, reads only is checked here", StringComparison.Ordinal));
        Assert.NotEmpty(result.Events);
        Assert.All(result.Events, e => Assert.True(e.EventName == "Decrypt" && e.ReadOnly && e.Username == user));
        var region = Assert.Single(result.Regions);
        Assert.True(region.EventsRead >= region.Events);
        Assert.True(reports.Count >= 2);
        Assert.Equal(region.Pages, reports[^1].Regions.Single().Pages);
        Assert.True(reports[^1].Regions.Single().Done);
    }

    [Fact]
    public async Task AKeyFilterStaysWithCloudTrailAndNarrowingIsCheckedHere()
    {
        var plan = await _audit.PlanAsync(PaymentsKeySet() with { EventName = "Encrypt" }, Auditor, CancellationToken.None);

        Assert.All(plan.Lookups, l => Assert.Equal(LookupAttributeKey.ResourceName, l.AttributeKey));
        Assert.Equal(new AuditCriterion(LookupAttributeKey.EventName, "Encrypt"), Assert.Single(plan.ClientSide));
        var twice = PaymentsKeySet() with { Filter = AuditFilterKind.EventName, Value = "Decrypt", EventName = "Decrypt", KeySetRegions = false, Regions = ["us-east-1"] };
        var problem = await Assert.ThrowsAsync<AuditQueryException>(() => _audit.PlanAsync(twice, Auditor, CancellationToken.None));
        Assert.Contains("give it once", problem.Message);
    }

    [Fact]
    public async Task ASearchForAPageIsBoundedBySizeAndKeepsNoRawRecordsWhichAreReadAgainOnDemand()
    {
        var limits = new AuditSearchLimits(100_000, MaxBytes: 64 * 1024) { KeepRecords = false };

        var result = await _audit.SearchAsync(PaymentsKeySet(24), Auditor, limits, null, CancellationToken.None);

        Assert.True(result.CutBySize);
        Assert.True(result.Truncated);
        Assert.InRange(result.ApproximateBytes, 1, 64 * 1024);
        Assert.All(result.Events, e => Assert.Equal("", e.Record));
        var first = result.Events[0];
        var record = await _audit.ReadRecordAsync(first, Auditor, CancellationToken.None);
        Assert.Equal(first.EventId, JsonDocument.Parse(record!).RootElement.GetProperty("eventID").GetString());
    }

    /// <summary>Splits one RFC 4180 line.</summary>
    internal static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would race the assertions).</summary>
    private sealed class SyncProgress(Action<AuditExportProgress> report) : IProgress<AuditExportProgress>
    {
        public void Report(AuditExportProgress value) => report(value);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this) report(value);
        }
    }
}
