using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.CloudWatch;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.CloudWatch;

/// <summary>One world: GetKeyLastUsage reports the same modelled traffic CloudWatch's SuccessfulRequest counts.</summary>
public sealed class LastUsageAgreementTests
{
    [Fact]
    public async Task EveryBusyReplicaReportsTheLastMinuteCloudWatchCountsAndAnIdleKeyReportsNone()
    {
        await using var sandbox = await SandboxHarness.StartAsync(seedDemo: true);
        var state = sandbox.Server.Services.GetRequiredService<CloudWatchState>();
        var keys = sandbox.Server.Services.GetRequiredService<KmsSandboxState>().ListKeys();
        var now = sandbox.Control.Clock.UtcNow;

        foreach (var key in keys.Where(k => k.Aliases.Contains("alias/customer-pii") || k.Aliases.Contains("alias/payments-prod")))
        {
            var last = await sandbox.Kms(key.Region).GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = key.KeyId });

            Assert.NotNull(last.KeyLastUsage);
            var used = new DateTimeOffset(last.KeyLastUsage.Timestamp!.Value, TimeSpan.Zero);
            Assert.True(now - used < TimeSpan.FromMinutes(30), $"{key.Arn} was last used at {used:u}, long before {now:u}");
            // CloudWatch counts requests in the minute GetKeyLastUsage names, for the operation it names.
            var minute = used.AddSeconds(-used.Second);
            var values = state.Metrics.GetMetricData(key.Region, Query(key.Arn, last.KeyLastUsage.Operation.Value, minute, minute.AddMinutes(1))).Results.Single().Values;
            Assert.True(values.Sum() > 0, $"CloudWatch has no {last.KeyLastUsage.Operation.Value} for {key.Arn} at {minute:u}");
            Assert.False(string.IsNullOrEmpty(last.KeyLastUsage.CloudTrailEventId));
        }

        var idle = keys.Single(k => k.Region == "eu-west-1" && k.Aliases.Contains("alias/app-config"));
        var none = await sandbox.Kms("eu-west-1").GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = idle.KeyId });
        Assert.Null(none.KeyLastUsage);
    }

    [Fact]
    public async Task AKeyMadeAfterTrackingBeganIsTrackedFromItsCreation()
    {
        await using var sandbox = await SandboxHarness.StartAsync(seedDemo: true);
        var created = await sandbox.CreateKeyAsync("us-east-1");

        var last = await sandbox.Kms("us-east-1").GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = created.KeyId });

        Assert.Null(last.KeyLastUsage);
        Assert.Equal(created.CreationDate, last.TrackingStartDate);
    }

    private static JsonObject Query(string arn, string operation, DateTimeOffset start, DateTimeOffset end) => new()
    {
        ["StartTime"] = start.ToUnixTimeSeconds(),
        ["EndTime"] = end.ToUnixTimeSeconds(),
        ["MetricDataQueries"] = new JsonArray(new JsonObject
        {
            ["Id"] = "q",
            ["MetricStat"] = new JsonObject
            {
                ["Metric"] = new JsonObject
                {
                    ["Namespace"] = "AWS/KMS", ["MetricName"] = "SuccessfulRequest",
                    ["Dimensions"] = new JsonArray(new JsonObject { ["Name"] = "KeyArn", ["Value"] = arn }, new JsonObject { ["Name"] = "Operation", ["Value"] = operation }),
                },
                ["Period"] = 60, ["Stat"] = "Sum",
            },
        }),
    };
}
