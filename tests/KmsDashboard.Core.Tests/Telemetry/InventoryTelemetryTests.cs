using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using KmsDashboard.Core.Telemetry;
using KmsDashboard.Core.Tests.Inventory;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Telemetry;

/// <summary>A refresh against the sandbox leaves the spans and metrics an operator needs: per Region, per AWS call, throttles.</summary>
public sealed class InventoryTelemetryTests
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    [Fact]
    public async Task ARefreshTracesEachRegionAndEveryAwsCallAndMeasuresDurationsCallsAndThrottles()
    {
        AwsCallTelemetry.Register(); // before the harness builds its SDK clients
        var spans = new ConcurrentQueue<Activity>();
        var measurements = new ConcurrentQueue<Measurement>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DashboardTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == DashboardTelemetry.Name) listener.EnableMeasurementEvents(instrument); };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meters.Start();

        await using var h = await InventoryHarness.StartAsync();
        var served = new ConcurrentDictionary<string, string>(); // request id → operation, as this sandbox served them
        using var log = h.Server.Services.GetRequiredService<SandboxCallLog>().Subscribe(c => served[c.RequestId] = c.Operation);
        // ap-northeast-1 throttles for a while: the refresh rides it out, and the throttles are counted.
        h.Faults.Set("ap-northeast-1", new RegionFault(Throttle: true));
        var refresh = h.Inventory.RefreshAsync(CancellationToken.None);
        await InventoryHarness.WaitUntilAsync(() => h.Inventory.Progress.RegionsDone >= 1, "another Region to finish");
        await Task.Delay(300);
        h.Faults.Clear("ap-northeast-1");
        await refresh;

        // Spans: one refresh trace (this sandbox's), a span per Region under it, a client span per AWS request.
        var awsSpans = spans.Where(s => s.Kind == ActivityKind.Client && s.GetTagItem(DashboardTelemetry.RequestIdTag) is string id && served.ContainsKey(id)).ToList();
        Assert.NotEmpty(awsSpans);
        var traceId = awsSpans[0].TraceId;
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var root = Assert.Single(trace, s => s.OperationName == "inventory.refresh");
        Assert.Equal(default, root.ParentSpanId);
        var regionSpans = trace.Where(s => s.OperationName == "inventory.region").ToList();
        Assert.Equal(InventoryHarness.DemoRegions.Order(), regionSpans.Select(s => (string)s.GetTagItem(DashboardTelemetry.RegionTag)!).Order());
        Assert.All(regionSpans, s => Assert.Equal(root.SpanId, s.ParentSpanId));
        var describe = trace.First(s => s.OperationName == "KMS.DescribeKey" && (string?)s.GetTagItem(DashboardTelemetry.RegionTag) == "eu-west-1");
        Assert.Equal("KMS", describe.GetTagItem(DashboardTelemetry.ServiceTag));
        Assert.Equal("DescribeKey", describe.GetTagItem(DashboardTelemetry.OperationTag));
        Assert.Equal(200, describe.GetTagItem(DashboardTelemetry.StatusCodeTag));
        Assert.Equal(false, describe.GetTagItem(DashboardTelemetry.ThrottledTag));
        Assert.Equal("DescribeKey", served[(string)describe.GetTagItem(DashboardTelemetry.RequestIdTag)!]);
        Assert.Contains(regionSpans, r => r.SpanId == describe.ParentSpanId && (string?)r.GetTagItem(DashboardTelemetry.RegionTag) == "eu-west-1");
        var throttled = trace.Where(s => s.GetTagItem(DashboardTelemetry.ThrottledTag) is true).ToList();
        Assert.NotEmpty(throttled);
        Assert.All(throttled, s =>
        {
            Assert.Equal("ap-northeast-1", s.GetTagItem(DashboardTelemetry.RegionTag));
            Assert.Equal("ThrottlingException", s.GetTagItem(DashboardTelemetry.ErrorTypeTag));
            Assert.Equal(ActivityStatusCode.Error, s.Status);
        });

        // Metrics: each Region's read time, calls and errors per operation, throttles, the whole refresh.
        meters.RecordObservableInstruments();
        var regionDurations = measurements.Where(m => m.Instrument == "kmsdashboard.inventory.region.duration").ToList();
        Assert.All(InventoryHarness.DemoRegions, r => Assert.Contains(regionDurations, m => (string?)m.Tags[DashboardTelemetry.RegionTag] == r && m.Value > 0));
        Assert.Contains(measurements, m => m.Instrument == "kmsdashboard.inventory.refresh.duration" && m.Value > 0);
        Assert.Contains(measurements, m => m.Instrument == "kmsdashboard.aws.calls" && (string?)m.Tags[DashboardTelemetry.OperationTag] == "ListKeys"
                                           && (string?)m.Tags[DashboardTelemetry.OutcomeTag] == "ok");
        Assert.Contains(measurements, m => m.Instrument == "kmsdashboard.aws.throttles" && (string?)m.Tags[DashboardTelemetry.RegionTag] == "ap-northeast-1");
        Assert.Contains(measurements, m => m.Instrument == "kmsdashboard.aws.errors" && (string?)m.Tags[DashboardTelemetry.ErrorTypeTag] == "ThrottlingException");
        Assert.Contains(measurements, m => m.Instrument == "kmsdashboard.aws.call.duration" && (string?)m.Tags[DashboardTelemetry.OperationTag] == "GetKeyPolicy");
    }
}
