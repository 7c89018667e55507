using System.Security.Claims;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Findings;

/// <summary>Findings over time: a Region failing keeps its findings as stale, a fix shows as fixed, suppressions expire.</summary>
public sealed class FindingsLifecycleTests
{
    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "Test", ClaimTypes.Name, ClaimTypes.Role));

    [Fact]
    public async Task ARegionFailingWhileChecksRunMarksItsFindingsStaleNotFixedAndTheOthersStayFresh()
    {
        await using var h = await FindingsHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var before = await h.Findings.EvaluateAsync(CancellationToken.None);
        var euIdle = Assert.Single(before.Open, f => f.Check == FindingChecks.Idle && f.Region == "eu-west-1" && f.KeyName.StartsWith("app-config", StringComparison.Ordinal));
        var euDrift = Assert.Single(before.Open, f => f.Check == FindingChecks.TagDrift && f.Region == "eu-west-1" && f.KeyName == "payments-prod");

        h.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Inventory.RefreshAsync(CancellationToken.None);
        await h.Health.ProbeAllAsync();
        var after = await h.Findings.EvaluateAsync(CancellationToken.None);

        // Seen again from the Region's last good data, or not evaluable there (CloudWatch down): open and stale, first seen kept.
        foreach (var id in new[] { euIdle.Id, euDrift.Id })
        {
            var finding = after.Find(id)!;
            Assert.True(finding.IsOpen, id);
            Assert.True(finding.Stale, id);
            Assert.Contains("eu-west-1", finding.StaleReason);
            Assert.Equal(before.Find(id)!.FirstSeen, finding.FirstSeen);
        }
        Assert.All(after.Open.Where(f => f.Region is "us-east-1" or "ap-southeast-1"), f => Assert.False(f.Stale, f.Id));
        Assert.DoesNotContain(after.Findings, f => !f.IsOpen);
        // The Region's keys sets are flagged as down where they have a member there.
        Assert.Contains(after.Open, f => f.Check == FindingChecks.ReplicaRegionDown && f.Region == "eu-west-1" && f.KeyName == "orders-db");
        Assert.Equal(1, after.Trend[^1].Stale > 0 ? 1 : 0);
    }

    [Fact]
    public async Task CancellingTheDeletionOfAKeyStillInUseFixesTheCriticalFindingAtTheNextEvaluation()
    {
        await using var h = await FindingsHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var before = await h.Findings.EvaluateAsync(CancellationToken.None);
        var critical = Assert.Single(before.Open, f => f.Check == FindingChecks.PendingDeletionInUse && f.KeyName.StartsWith("old-reports", StringComparison.Ordinal));

        await h.Clients.Kms("us-west-2").CancelKeyDeletionAsync(new Sdk.CancelKeyDeletionRequest { KeyId = critical.KeyId });
        await h.Inventory.RefreshKeysAsync([new KmsDashboard.Core.Inventory.KeyRef("us-west-2", critical.KeyId)], CancellationToken.None);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var after = await h.Findings.EvaluateAsync(CancellationToken.None);

        var fixedNow = after.Find(critical.Id)!;
        Assert.False(fixedNow.IsOpen);
        Assert.Equal(after.EvaluatedAt, fixedNow.FixedAt);
        Assert.True(after.Trend[^1].Critical < after.Trend[0].Critical);
        Assert.True(after.EstateScore > before.EstateScore);
    }

    [Fact]
    public async Task ASuppressionNeedsAnOperatorAReasonAndAnExpiryIsJournaledAndEndsWhenItExpires()
    {
        await using var h = await FindingsHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var report = await h.Findings.EvaluateAsync(CancellationToken.None);
        var target = report.Open.First(f => f.Check == FindingChecks.RotationOff);
        var now = h.Clock.UtcNow;

        var viewer = await h.Findings.SuppressAsync(User("victor", DashboardRoles.Viewer), target.Id, "looks fine", now.AddDays(1), CancellationToken.None);
        Assert.False(viewer.Succeeded);
        Assert.Contains("Operator", viewer.Message);
        Assert.False((await h.Findings.SuppressAsync(User("olivia", DashboardRoles.Operator), target.Id, "  ", now.AddDays(1), CancellationToken.None)).Succeeded);
        Assert.Contains("future", (await h.Findings.SuppressAsync(User("olivia", DashboardRoles.Operator), target.Id, "ok", now.AddDays(-1), CancellationToken.None)).Message);
        Assert.Contains("365", (await h.Findings.SuppressAsync(User("olivia", DashboardRoles.Operator), target.Id, "ok", now.AddDays(400), CancellationToken.None)).Message);

        var done = await h.Findings.SuppressAsync(User("olivia", DashboardRoles.Operator), target.Id, "PII key rotates through the manual runbook", now.AddDays(2), CancellationToken.None);
        Assert.True(done.Succeeded, done.Message);
        var suppressed = h.Findings.Current.Find(target.Id)!;
        Assert.True(suppressed.IsSuppressed);
        Assert.False(suppressed.Counts);
        Assert.True(h.Findings.Current.KeyScores[target.KeyId] > report.KeyScores[target.KeyId]);
        Assert.Single(h.Findings.Current.Suppressions);

        var journal = await h.Journal.QueryAsync(new JournalQuery { Action = FindingsService.SuppressAction }, CancellationToken.None);
        Assert.Contains(journal, e => e.Outcome == "Succeeded" && e.User == "olivia" && e.Summary.Contains("PII key rotates", StringComparison.Ordinal));
        Assert.Contains(journal, e => e.Outcome == "Refused" && e.User == "victor");

        h.Clock.Advance(TimeSpan.FromDays(3));
        await h.Findings.EvaluateAsync(CancellationToken.None);
        var expired = h.Findings.Current.Find(target.Id)!;
        Assert.True(expired.IsOpen);
        Assert.False(expired.IsSuppressed);
        Assert.False(h.Findings.Current.Suppressions.Single().IsActive(h.Clock.UtcNow));
    }

    [Fact]
    public async Task DrillHistoryAndTrailCoverageAreUsedWhenRegistered()
    {
        var drilled = new Dictionary<string, DateTimeOffset>();
        await using var h = await FindingsHarness.StartAsync(services =>
        {
            services.AddSingleton<IFailoverDrillHistory>(new Drills(drilled));
            services.AddSingleton<ITrailCoverageReader>(new Coverage());
        });
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var orders = h.Inventory.Current.KeySets.Single(s => s.DisplayName == "orders-db");
        drilled[orders.KeyId] = h.Clock.UtcNow.AddDays(-3);

        var report = await h.Findings.EvaluateAsync(CancellationToken.None);

        Assert.DoesNotContain(report.Open, f => f.Check == FindingChecks.DrillOverdue && f.KeyId == orders.KeyId);
        var pii = Assert.Single(report.Open, f => f.Check == FindingChecks.DrillOverdue && f.KeyName == "customer-pii");
        Assert.Contains("Never drilled", pii.Evidence[0]);
        var trail = Assert.Single(report.Open, f => f.Check == FindingChecks.NoTrail);
        Assert.Equal("ap-northeast-1", trail.Region);
        Assert.Contains(report.NotEvaluated, n => n.CheckId == FindingChecks.NoTrail.Id && n.Region == "eu-central-1");
        Assert.DoesNotContain(report.NotEvaluated, n => n.CheckId == FindingChecks.DrillOverdue.Id);
    }

    private sealed class Drills(Dictionary<string, DateTimeOffset> last) : IFailoverDrillHistory
    {
        public Task<IReadOnlyDictionary<string, DateTimeOffset>> LastDrillsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>(last));
    }

    private sealed class Coverage : ITrailCoverageReader
    {
        public Task<IReadOnlyList<TrailCoverage>> ReadAsync(IReadOnlyList<string> regions, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TrailCoverage>>([.. regions.Select(r => r switch
            {
                "ap-northeast-1" => new TrailCoverage(r, false, null, null),
                "eu-central-1" => new TrailCoverage(r, false, null, "AccessDeniedException: not authorized"),
                _ => new TrailCoverage(r, true, "org-trail", null),
            })]);
    }
}
