namespace KmsDashboard.Core.Aws;

/// <summary>One Region's health as last measured.</summary>
/// <param name="Latency">Round-trip time of the last probe that got an answer (also set for errors that came back).</param>
/// <param name="DownSince">When the Region became unreachable, while it stays so.</param>
public sealed record RegionStatus(
    string Region,
    RegionReachability Reachability,
    TimeSpan? Latency = null,
    DateTimeOffset? LastProbe = null,
    string? LastError = null,
    DateTimeOffset? DownSince = null)
{
    public bool IsReachable => Reachability is RegionReachability.Reachable or RegionReachability.Degraded;
}
