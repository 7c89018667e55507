namespace KmsDashboard.Core.Runbooks;

/// <summary>The <c>Runbooks</c> section: lease length, how long a step waits for replicas, the drain window's default.</summary>
public sealed class RunbookOptions
{
    public const string Section = "Runbooks";

    /// <summary>How long a runbook stays held by the operator who last planned or ran a step.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the replicate step waits for new replicas to leave Creating before reporting them as waiting.</summary>
    public TimeSpan ReplicaWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Poll interval while waiting for replicas.</summary>
    public TimeSpan ReplicaPoll { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The watch step's default: the old key must be unused for this many hours.</summary>
    public int DefaultDrainHours { get; set; } = 24;

    /// <summary>At most this many CloudTrail events are read per Region when looking for callers (LookupEvents is 2 requests a second).</summary>
    public int MaxCloudTrailEventsPerRegion { get; set; } = 200;

    /// <summary>Step 6 paces its in-place CopyObject calls under this rate.</summary>
    public double ReencryptCopiesPerSecond { get; set; } = 50;
}
