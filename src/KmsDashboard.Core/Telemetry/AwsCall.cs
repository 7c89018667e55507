using System.Diagnostics;

namespace KmsDashboard.Core.Telemetry;

/// <summary>
/// One AWS request being measured: a client span named <c>Service.Operation</c> and, when it ends, the call counters.
/// Used by the SDK pipeline hook and by the dashboard's own JSON clients (CloudWatch, CloudTrail).
/// </summary>
public sealed class AwsCall : IDisposable
{
    private readonly Activity? _activity;
    private readonly TagList _tags;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _ended;

    private AwsCall(string service, string operation, string region)
    {
        _tags = new TagList
        {
            { DashboardTelemetry.ServiceTag, service },
            { DashboardTelemetry.OperationTag, operation },
            { DashboardTelemetry.RegionTag, region },
        };
        _activity = DashboardTelemetry.Source.StartActivity($"{service}.{operation}", ActivityKind.Client);
        if (_activity is not null)
        {
            _activity.SetTag("rpc.system", "aws-api");
            foreach (var tag in _tags) _activity.SetTag(tag.Key, tag.Value);
        }
    }

    public static AwsCall Start(string service, string operation, string region) => new(service, operation, region);

    public void Succeeded(int status, string? requestId)
    {
        if (_ended) return;
        _ended = true;
        _activity?.SetTag(DashboardTelemetry.StatusCodeTag, status);
        _activity?.SetTag(DashboardTelemetry.RequestIdTag, requestId);
        _activity?.SetTag(DashboardTelemetry.ThrottledTag, false);
        Count("ok");
    }

    public void Failed(int status, string errorCode, string? requestId, bool throttled)
    {
        if (_ended) return;
        _ended = true;
        if (_activity is not null)
        {
            if (status != 0) _activity.SetTag(DashboardTelemetry.StatusCodeTag, status);
            _activity.SetTag(DashboardTelemetry.RequestIdTag, requestId);
            _activity.SetTag(DashboardTelemetry.ThrottledTag, throttled);
            _activity.SetTag(DashboardTelemetry.ErrorTypeTag, errorCode);
            _activity.SetStatus(ActivityStatusCode.Error, errorCode);
        }
        var errorTags = _tags;
        errorTags.Add(DashboardTelemetry.ErrorTypeTag, errorCode);
        DashboardTelemetry.AwsErrors.Add(1, errorTags);
        if (throttled) DashboardTelemetry.AwsThrottles.Add(1, _tags);
        Count(throttled ? "throttled" : "error");
    }

    private void Count(string outcome)
    {
        var tags = _tags;
        tags.Add(DashboardTelemetry.OutcomeTag, outcome);
        DashboardTelemetry.AwsCalls.Add(1, tags);
        DashboardTelemetry.AwsCallDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, _tags);
    }

    public void Dispose()
    {
        if (!_ended) Failed(0, "Abandoned", null, false);
        _activity?.Dispose();
    }
}
