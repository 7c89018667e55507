using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.CloudWatch;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.CloudWatch;

/// <summary>The demo account's generated traffic: 90 days of history, busy and idle keys, a spike, and CloudWatch's period rules.</summary>
public sealed class DemoTrafficTests
{
    private static JsonObject Request(string arn, string op, DateTimeOffset start, DateTimeOffset end, int period) => new()
    {
        ["StartTime"] = start.ToUnixTimeSeconds(),
        ["EndTime"] = end.ToUnixTimeSeconds(),
        ["ScanBy"] = "TimestampAscending",
        ["MetricDataQueries"] = new JsonArray(new JsonObject
        {
            ["Id"] = "q",
            ["MetricStat"] = new JsonObject
            {
                ["Metric"] = new JsonObject
                {
                    ["Namespace"] = "AWS/KMS", ["MetricName"] = "SuccessfulRequest",
                    ["Dimensions"] = new JsonArray(new JsonObject { ["Name"] = "KeyArn", ["Value"] = arn }, new JsonObject { ["Name"] = "Operation", ["Value"] = op }),
                },
                ["Period"] = period, ["Stat"] = "Sum",
            },
        }),
    };

    [Fact]
    public async Task DemoKeysHaveNinetyDaysOfHistoryWithBusyIdleAndSpikingKeys()
    {
        await using var sandbox = await SandboxHarness.StartAsync(seedDemo: true);
        var state = sandbox.Server.Services.GetRequiredService<CloudWatchState>();
        var keys = sandbox.Server.Services.GetRequiredService<KmsSandboxState>().ListKeys();
        var now = sandbox.Control.Clock.UtcNow;
        string Arn(string alias, string region) => keys.Single(k => k.Region == region && k.Aliases.Contains(alias)).Arn;
        IReadOnlyList<double> Values(string arn, string op, DateTimeOffset start, DateTimeOffset end, int period) =>
            state.Metrics.GetMetricData(arn.Split(':')[3], Request(arn, op, start, end, period)).Results.Single().Values;

        var payments = Values(Arn("alias/payments-prod", "us-east-1"), "Decrypt", now.AddDays(-90), now, 86400);
        var idle = Values(Arn("alias/app-config", "eu-west-1"), "Decrypt", now.AddDays(-90), now, 86400);
        var orders = Values(Arn("alias/orders-db", "eu-west-1"), "Decrypt", now.AddDays(-20), now, 3600);
        var oldAtOneMinute = Values(Arn("alias/payments-prod", "us-east-1"), "Decrypt", now.AddDays(-30), now.AddDays(-29), 60);

        Assert.InRange(payments.Count, 88, 91);
        Assert.All(payments.Skip(1).SkipLast(1), v => Assert.True(v > 1000));
        Assert.Empty(idle);
        Assert.True(orders.Max() > 4 * orders.Order().ElementAt(orders.Count / 2), "the orders-db retry storm stands out");
        Assert.Empty(oldAtOneMinute); // data over 15 days old is only served at multiples of 5 minutes
    }

    [Theory]
    [InlineData(30, 60, 60)]   // 12:32:34 a day ago: to the minute
    [InlineData(30, 20 * 24 * 60, 300)]   // 20 days ago: to 5 minutes
    [InlineData(30, 70 * 24 * 60, 3600)]  // 70 days ago: to the hour
    public void StartTimeRoundsDownByItsAge(int seconds, int minutesAgo, int unit)
    {
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        var start = now.AddMinutes(-minutesAgo).AddSeconds(seconds + 120);

        var rounded = CloudWatchMetrics.RoundStart(start, now, 3600);

        Assert.Equal(0, rounded.ToUnixTimeSeconds() % unit);
        Assert.True(rounded <= start && start - rounded < TimeSpan.FromSeconds(unit));
    }
}
