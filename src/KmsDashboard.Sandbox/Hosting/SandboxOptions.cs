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

    /// <summary>Answer ThrottlingException beyond the per-Region, per-operation KMS quotas of AWS-FACTS.md (one setting for every account).</summary>
    public bool EnforceQuotas
    {
        get => Parent?.EnforceQuotas ?? _enforceQuotas;
        set
        {
            if (Parent is not null) Parent.EnforceQuotas = value;
            else _enforceQuotas = value;
        }
    }

    private bool _enforceQuotas = true;

    /// <summary>
    /// The organization's accounts; the first is the management account (its Id replaces <see cref="AccountId"/>, and each
    /// account's Seed replaces <see cref="SeedDemoAccount"/>). Empty: with SeedDemoAccount the two demo accounts
    /// (111122223333 demo-security, 444455556666 demo-payments), else the one account <see cref="AccountId"/>.
    /// </summary>
    public List<SandboxAccountOptions> Accounts { get; set; } = [];

    /// <summary>What this account is seeded with (set per account; the management account's from SeedDemoAccount).</summary>
    internal SandboxAccountSeed AccountSeed { get; set; } = SandboxAccountSeed.Demo;

    /// <summary>The accounts as checked and completed when the sandbox was registered (management first).</summary>
    internal IReadOnlyList<SandboxAccountOptions>? ResolvedAccounts { get; set; }

    /// <summary>The options a member account's services were made from: shared settings (quotas) are read there.</summary>
    internal SandboxOptions? Parent { get; private init; }

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

    /// <summary>The options of a member account's own services: this sandbox's settings, the account's id and seed.</summary>
    internal SandboxOptions ForMember(SandboxAccountOptions account) => new()
    {
        Parent = this,
        AccountId = account.Id,
        SeedDemoAccount = account.Seed != SandboxAccountSeed.Empty,
        AccountSeed = account.Seed,
        SeedDemoBuckets = SeedDemoBuckets,
        EnableControlEndpoint = false,
        ReplicaCreationDuration = ReplicaCreationDuration,
        PrimaryRegionUpdateDuration = PrimaryRegionUpdateDuration,
        TimelineCheckInterval = TimelineCheckInterval,
        Url = Url,
    };
}
