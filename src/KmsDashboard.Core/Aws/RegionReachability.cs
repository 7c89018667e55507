namespace KmsDashboard.Core.Aws;

/// <summary>What the last probe of a Region found.</summary>
public enum RegionReachability
{
    /// <summary>Not probed yet.</summary>
    Unknown,
    /// <summary>KMS answered the probe successfully.</summary>
    Reachable,
    /// <summary>KMS answered, but with an error (throttling, access denied): reachable, not usable as-is.</summary>
    Degraded,
    /// <summary>No answer, a timeout, or a server-side failure.</summary>
    Unreachable,
}
