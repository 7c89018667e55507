namespace KmsDashboard.Core.Dependents;

/// <summary>How much depends on one key set (or single-Region key): bucket defaults, replication rules, grants, and callers when read.</summary>
public sealed record KeySetDependentsCount(string KeyId, string DisplayName, int Buckets, int ReplicationRules, int Grants, int? Principals)
{
    /// <summary>The key's account ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";

    public int Total => Buckets + ReplicationRules + Grants + (Principals ?? 0);
}
