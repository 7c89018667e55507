namespace KmsDashboard.Sandbox.Hosting;

/// <summary>What is wrong with one Region of the sandbox: added latency, a full outage, or throttling of every call.</summary>
public sealed record RegionFault(TimeSpan Latency = default, bool Outage = false, bool Throttle = false)
{
    public static readonly RegionFault None = new();
}
