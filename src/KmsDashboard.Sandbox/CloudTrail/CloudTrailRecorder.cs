using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Turns every <see cref="SandboxCall"/> into a CloudTrail record in the call's Region.</summary>
internal sealed class CloudTrailRecorder : IDisposable
{
    private readonly TrailStore _store;
    private readonly IDisposable _subscription;
    private readonly Accounts.StsSessions? _sessions;

    public CloudTrailRecorder(SandboxCallLog log, TrailStore store, SeededHistory history, Accounts.StsSessions? sessions = null)
    {
        _store = store;
        _sessions = sessions;
        // The seeded history is fixed to the keys that exist before the first call is recorded.
        history.EnsurePlanned();
        _subscription = log.Subscribe(Record);
    }

    public void Record(SandboxCall call) => _store.Add(ToEvent(call, _sessions));

    /// <summary>The record of a call; its principal is the call's own, else the one its access key names (a role session's first).</summary>
    public static TrailEvent ToEvent(SandboxCall call, Accounts.StsSessions? sessions = null)
    {
        var serviceEvent = call.EventType == "AwsServiceEvent";
        var source = $"{call.Service}.amazonaws.com";
        return new TrailEvent
        {
            Time = TrailEvent.ToWholeSeconds(call.Time),
            Region = call.Region,
            EventSource = source,
            EventName = call.Operation,
            EventId = Guid.NewGuid().ToString(),
            RequestId = call.RequestId,
            Principal = serviceEvent ? TrailPrincipal.AwsService
                : call.Principal ?? sessions?.PrincipalFor(call.AccessKeyId) ?? TrailPrincipals.ForAccessKey(call.AccessKeyId),
            AccessKeyId = serviceEvent ? "" : call.AccessKeyId,
            SourceIp = serviceEvent ? source : call.SourceIp,
            UserAgent = serviceEvent ? source : call.UserAgent,
            ReadOnly = call.ReadOnly,
            ErrorCode = call.ErrorCode,
            ErrorMessage = call.ErrorMessage,
            Resources = call.Resources,
            EventType = call.EventType,
            RequestParameters = TrailParameters.Request(call.RequestParameters),
            ResponseElements = TrailParameters.Response(call.Operation, call.ResponseElements),
            InvokedBy = call.InvokedBy ?? (serviceEvent ? source : null),
        };
    }

    public void Dispose() => _subscription.Dispose();
}
