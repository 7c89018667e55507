using KmsDashboard.Core.Audit;

namespace KmsDashboard.Core.Tests.Audit;

public sealed class AuditActivityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static AuditEvent Event(double hoursAfter, string name, string user) => new()
    {
        Region = "us-east-1", EventId = Guid.NewGuid().ToString(), EventTime = T0.AddHours(hoursAfter), EventName = name,
        Username = user, UserType = "IAMUser",
    };

    [Fact]
    public void EventsAreCountedPerHourAndStackedByEventNameLargestFirst()
    {
        AuditEvent[] events = [Event(0.1, "Decrypt", "alice"), Event(0.9, "Decrypt", "bob"), Event(1.5, "Encrypt", "alice"), Event(2.99, "Decrypt", "alice")];

        var chart = AuditActivity.Build(events, T0.AddMinutes(30), T0.AddHours(3), AuditActivityGrouping.EventName);

        Assert.Equal(TimeSpan.FromHours(1), chart.Bucket);
        Assert.Equal([T0, T0.AddHours(1), T0.AddHours(2)], chart.Buckets);
        Assert.Equal(["Decrypt", "Encrypt"], chart.Series.Select(s => s.Name));
        Assert.Equal([2, 0, 1], chart.Series[0].Counts);
        Assert.Equal([0, 1, 0], chart.Series[1].Counts);
        Assert.Equal(4, chart.Total);
    }

    [Fact]
    public void ByUserTheSeriesAreTheUsersAsTheTableShowsThem()
    {
        AuditEvent[] events = [Event(0.1, "Decrypt", "alice"), Event(0.2, "Decrypt", "bob"), Event(0.3, "Encrypt", "alice")];

        var chart = AuditActivity.Build(events, T0, T0.AddHours(1), AuditActivityGrouping.User);

        Assert.Equal(["alice", "bob"], chart.Series.Select(s => s.Name));
        Assert.Equal([2], chart.Series[0].Counts);
    }

    [Fact]
    public void BeyondTheLargestSeriesTheRestIsSummedAsOtherAndClickingItSelectsOnlyThose()
    {
        var events = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Range(0, 5 - i).Select(_ => Event(0.5, $"Op{i}", "u"))).ToList();

        var chart = AuditActivity.Build(events, T0, T0.AddHours(1), AuditActivityGrouping.EventName, maxSeries: 3);

        Assert.Equal(["Op0", "Op1", "Other (3)"], chart.Series.Select(s => s.Name));
        Assert.Equal(3 + 2 + 1, chart.Series[2].Counts[0]);
        var other = chart.Select(2, 0);
        Assert.Equal(6, events.Count(other.Matches));
        Assert.DoesNotContain(events.Where(other.Matches), e => e.EventName is "Op0" or "Op1");
    }

    [Fact]
    public void ClickingABarSelectsThatHourAndThatName()
    {
        AuditEvent[] events = [Event(0.1, "Decrypt", "alice"), Event(1.1, "Decrypt", "alice"), Event(1.2, "Encrypt", "alice")];
        var chart = AuditActivity.Build(events, T0, T0.AddHours(2), AuditActivityGrouping.EventName);

        var selection = chart.Select(0, 1);

        Assert.Equal([events[1]], events.Where(selection.Matches));
        Assert.Equal("Decrypt, 2026-03-01 11:00–12:00 UTC", selection.Describe());
    }

    [Fact]
    public void ALongWindowWidensTheBucketsToStayUnderTheLimit()
    {
        var chart = AuditActivity.Build([Event(0, "Decrypt", "a")], T0.AddDays(-90), T0.AddHours(1), AuditActivityGrouping.EventName, maxBuckets: 500);

        Assert.Equal(TimeSpan.FromHours(6), chart.Bucket);
        Assert.InRange(chart.Buckets.Count, 300, 500);
        Assert.Equal(1, chart.Total);
        Assert.Equal("6 hours", chart.BucketName);
    }

    [Fact]
    public void ByUserTheSameNameInTwoAccountsIsTwoUsersWhileEventNamesStayMerged()
    {
        AuditEvent In(AuditEvent e, string account, string name) => e with { Account = account, AccountName = name };
        AuditEvent[] events =
        [
            In(Event(0.1, "Decrypt", "alice"), "111122223333", "demo-security"), In(Event(0.2, "Decrypt", "alice"), "111122223333", "demo-security"),
            In(Event(0.3, "Decrypt", "alice"), "444455556666", "demo-payments"),
        ];

        var byUser = AuditActivity.Build(events, T0, T0.AddHours(1), AuditActivityGrouping.User);
        var byEvent = AuditActivity.Build(events, T0, T0.AddHours(1), AuditActivityGrouping.EventName);

        Assert.Equal(["alice · demo-security", "alice · demo-payments"], byUser.Series.Select(s => s.Name));
        Assert.Equal([2], byUser.Series[0].Counts);
        // Clicking the payments alice's bar shows her events only.
        Assert.Equal([events[2]], events.Where(byUser.Select(1, 0).Matches));
        Assert.Equal(["Decrypt"], byEvent.Series.Select(s => s.Name));
    }
}
