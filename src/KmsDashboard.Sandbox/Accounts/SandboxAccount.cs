using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Accounts;

/// <summary>
/// One account of the sandbox: its own KMS, S3, CloudWatch and CloudTrail (resolve them from <see cref="Services"/>, e.g.
/// <c>KmsSandboxState</c>), its roles, and what Organizations says of it. The management account's services are the
/// sandbox's own; a member account's are a container of their own built from the same registrations.
/// </summary>
public sealed class SandboxAccount
{
    internal SandboxAccount(SandboxAccountOptions options, bool isManagement, DateTimeOffset joined, IServiceProvider services)
    {
        Id = options.Id;
        Name = options.Name;
        Email = options.Email;
        Seed = options.Seed;
        IsManagement = isManagement;
        Joined = joined;
        Services = services;
        Roles = [.. options.Roles.Select(r => new SandboxRole(r.Name, string.IsNullOrEmpty(r.ExternalId) ? null : r.ExternalId, Id))];
    }

    public string Id { get; }
    public string Name { get; }
    public string Email { get; }
    public SandboxAccountSeed Seed { get; }
    public bool IsManagement { get; }
    /// <summary>When the account joined (or created) the organization.</summary>
    public DateTimeOffset Joined { get; }
    public IReadOnlyList<SandboxRole> Roles { get; }
    public IServiceProvider Services { get; }

    public SandboxRole? Role(string name) => Roles.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
}

/// <summary>A role of an account, and the stable <c>AROA…</c> id IAM gives it.</summary>
public sealed record SandboxRole(string Name, string? ExternalId, string AccountId)
{
    public string Arn => $"arn:aws:iam::{AccountId}:role/{Name}";

    public string RoleId { get; } = "AROA" + StableId($"{AccountId}/{Name}", 17);

    internal static string StableId(string text, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return new string([.. hash.Take(length).Select(b => alphabet[b % alphabet.Length])]);
    }
}
