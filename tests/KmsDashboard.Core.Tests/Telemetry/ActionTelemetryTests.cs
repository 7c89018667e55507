using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Telemetry;
using KmsDashboard.Core.Tests.Actions;

namespace KmsDashboard.Core.Tests.Telemetry;

/// <summary>A key action leaves a span with its outcome, its AWS calls under it, and a count by action and outcome.</summary>
public sealed class ActionTelemetryTests
{
    [Fact]
    public async Task AnExecutedActionIsTracedWithItsCallsAndCountedByOutcome()
    {
        AwsCallTelemetry.Register(); // before the harness builds its SDK clients
        var spans = new ConcurrentQueue<Activity>();
        var counted = new ConcurrentQueue<(string Action, string Outcome)>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DashboardTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) => { if (instrument == DashboardTelemetry.ActionOutcomes) listener.EnableMeasurementEvents(instrument); };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            counted.Enqueue(((string)map[DashboardTelemetry.ActionTag]!, (string)map[DashboardTelemetry.OutcomeTag]!));
        });
        meters.Start();

        await using var h = await ActionsHarness.StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var (_, result) = await h.RunAsync(ActionsHarness.Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "traced" });
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);

        var action = Assert.Single(spans, s => s.OperationName == "action EditDescription" && (string?)s.GetTagItem("kmsdashboard.key_id") == keyId);
        Assert.Equal("Succeeded", action.GetTagItem(DashboardTelemetry.OutcomeTag));
        Assert.Equal("us-east-1", action.GetTagItem(DashboardTelemetry.RegionTag));
        var call = Assert.Single(spans, s => s.ParentSpanId == action.SpanId && s.OperationName == "KMS.UpdateKeyDescription");
        Assert.Equal(200, call.GetTagItem(DashboardTelemetry.StatusCodeTag));
        Assert.Equal(result.Calls[0].RequestId, call.GetTagItem(DashboardTelemetry.RequestIdTag));
        Assert.Contains(("EditDescription", "Succeeded"), counted);

        // Refused (a Viewer may not act): counted too, with no AWS call under its span.
        var plan = await h.Operations.PlanAsync(ActionsHarness.Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "again" }, CancellationToken.None);
        var refused = await h.Operations.ExecuteAsync(ActionsHarness.Viewer, plan, keyId, CancellationToken.None);
        Assert.Equal(ActionOutcome.Refused, refused.Outcome);
        Assert.Contains(("EditDescription", "Refused"), counted);
        var refusedSpan = spans.Last(s => s.OperationName == "action EditDescription" && (string?)s.GetTagItem("kmsdashboard.key_id") == keyId);
        Assert.Equal("Refused", refusedSpan.GetTagItem(DashboardTelemetry.OutcomeTag));
        Assert.DoesNotContain(spans, s => s.ParentSpanId == refusedSpan.SpanId);
    }
}
