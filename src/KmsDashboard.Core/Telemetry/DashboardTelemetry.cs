using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KmsDashboard.Core.Telemetry;

/// <summary>
/// The dashboard's traces and metrics, with System.Diagnostics only: one <see cref="ActivitySource"/> and one
/// <see cref="Meter"/>, both named <see cref="Name"/>. The web app exports them with OpenTelemetry (OTLP, Prometheus);
/// nothing is measured or kept when nobody listens.
/// </summary>
public static class DashboardTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "KmsDashboard";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    // Tag names (OpenTelemetry semantic conventions where one exists).
    public const string RegionTag = "aws.region";
    public const string ServiceTag = "rpc.service";
    public const string OperationTag = "rpc.method";
    public const string StatusCodeTag = "http.response.status_code";
    public const string RequestIdTag = "aws.request_id";
    public const string ThrottledTag = "aws.throttled";
    public const string ErrorTypeTag = "error.type";
    public const string OutcomeTag = "outcome";
    public const string ActionTag = "kmsdashboard.action";
    public const string ExportTag = "kmsdashboard.export";

    /// <summary>How long one Region's read took in an inventory refresh (tags: Region, outcome ok | failed | timeout).</summary>
    public static readonly Histogram<double> RegionRefreshDuration = Meter.CreateHistogram<double>(
        "kmsdashboard.inventory.region.duration", "s", "Time to read one Region's keys in an inventory refresh.");

    /// <summary>How long a whole inventory refresh took, every Region included.</summary>
    public static readonly Histogram<double> RefreshDuration = Meter.CreateHistogram<double>(
        "kmsdashboard.inventory.refresh.duration", "s", "Time to read every configured Region in an inventory refresh.");

    /// <summary>Every AWS request sent (each attempt; tags: service, operation, Region, outcome).</summary>
    public static readonly Counter<long> AwsCalls = Meter.CreateCounter<long>(
        "kmsdashboard.aws.calls", "{call}", "AWS requests sent, by service, operation, Region and outcome.");

    /// <summary>AWS requests that failed (tags: service, operation, Region, error.type = the AWS error code).</summary>
    public static readonly Counter<long> AwsErrors = Meter.CreateCounter<long>(
        "kmsdashboard.aws.errors", "{call}", "AWS requests that failed, by service, operation, Region and error code.");

    /// <summary>AWS requests refused for exceeding a request quota (ThrottlingException and the like).</summary>
    public static readonly Counter<long> AwsThrottles = Meter.CreateCounter<long>(
        "kmsdashboard.aws.throttles", "{call}", "AWS requests throttled, by service, operation and Region.");

    public static readonly Histogram<double> AwsCallDuration = Meter.CreateHistogram<double>(
        "kmsdashboard.aws.call.duration", "s", "Time of one AWS request, by service, operation and Region.");

    /// <summary>Blazor circuits open now (one per open browser tab).</summary>
    public static readonly UpDownCounter<long> OpenCircuits = Meter.CreateUpDownCounter<long>(
        "kmsdashboard.circuits.open", "{circuit}", "Blazor Server circuits open on this instance.");

    /// <summary>Executed or refused key actions (tags: action, outcome).</summary>
    public static readonly Counter<long> ActionOutcomes = Meter.CreateCounter<long>(
        "kmsdashboard.actions", "{action}", "Key actions by action and outcome (Succeeded, PartiallySucceeded, Failed, Refused).");

    /// <summary>Exports served (tags: export, outcome = the HTTP status).</summary>
    public static readonly Counter<long> Exports = Meter.CreateCounter<long>(
        "kmsdashboard.exports", "{export}", "CSV and JSON exports served, by export and HTTP status.");

    /// <summary>
    /// Starts a span with no parent: work the dashboard does on its own (a refresh) is not part of whichever request
    /// happened to start it. Call it from the async method doing that work: the cleared parent stays local to it.
    /// </summary>
    public static Activity? StartRoot(string name, ActivityKind kind = ActivityKind.Internal)
    {
        Activity.Current = null;
        return Source.StartActivity(name, kind);
    }

    /// <summary>A span for one key action; <see cref="RecordAction"/> tags it with the outcome.</summary>
    public static Activity? StartAction(string action, string keyId, string region)
    {
        var activity = Source.StartActivity("action " + action);
        activity?.SetTag(ActionTag, action);
        activity?.SetTag("kmsdashboard.key_id", keyId);
        activity?.SetTag(RegionTag, region);
        return activity;
    }

    /// <summary>Counts an action's outcome and puts it on the current action span.</summary>
    public static void RecordAction(string action, string outcome)
    {
        ActionOutcomes.Add(1, new KeyValuePair<string, object?>(ActionTag, action), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        if (Activity.Current is { } current && current.Source == Source && current.GetTagItem(ActionTag) is not null)
        {
            current.SetTag(OutcomeTag, outcome);
            if (outcome is "Failed" or "PartiallySucceeded") current.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }
}
