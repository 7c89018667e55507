namespace KmsDashboard.Sandbox.Hosting;

/// <summary>What a sandbox account starts with: the demo estate, the smaller payments estate, or nothing.</summary>
public enum SandboxAccountSeed
{
    Demo,
    Payments,
    Empty,
}

/// <summary>One account of the sandbox's organization (<c>Sandbox:Accounts:N</c>); the first is the management account.</summary>
public sealed class SandboxAccountOptions
{
    /// <summary>Twelve digits.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public SandboxAccountSeed Seed { get; set; } = SandboxAccountSeed.Empty;

    /// <summary>Roles other accounts' callers may assume with STS AssumeRole; none given: the two default roles.</summary>
    public List<SandboxRoleOptions> Roles { get; set; } = [];
}

/// <summary>A role of a sandbox account: <c>arn:aws:iam::ACCOUNT:role/Name</c>, and the external id AssumeRole must give, if any.</summary>
public sealed class SandboxRoleOptions
{
    public string Name { get; set; } = "";

    public string? ExternalId { get; set; }
}
