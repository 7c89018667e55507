namespace KmsDashboard.Sandbox.Hosting;

/// <summary>How a sandbox instance starts.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>The account every ARN is minted in.</summary>
    public string AccountId { get; set; } = "111122223333";

    /// <summary>Seed the deterministic demo account (keys, aliases, history) at start.</summary>
    public bool SeedDemoAccount { get; set; } = true;

    /// <summary>With the demo account, also its S3 buckets and a few hundred SSE-KMS objects (their KMS calls are recorded).</summary>
    public bool SeedDemoBuckets { get; set; } = true;

    /// <summary>Answer ThrottlingException beyond the per-Region, per-operation KMS quotas of AWS-FACTS.md.</summary>
    public bool EnforceQuotas { get; set; } = true;

    /// <summary>Serve the /_sandbox control endpoint (clock, faults, reset).</summary>
    public bool EnableControlEndpoint { get; set; } = true;

    /// <summary>How long a new replica key stays Creating (sandbox clock) before it is Enabled.</summary>
    public TimeSpan ReplicaCreationDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long both keys stay Updating (sandbox clock) after UpdatePrimaryRegion.</summary>
    public TimeSpan PrimaryRegionUpdateDuration { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often (real time) due deletions, rotations and transitions are run without a call or clock move.</summary>
    public TimeSpan TimelineCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Kestrel URL; port 0 picks a free loopback port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";
}
