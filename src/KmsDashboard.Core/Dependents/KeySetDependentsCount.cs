namespace KmsDashboard.Core.Dependents;

/// <summary>How much depends on one key set (or single-Region key): bucket defaults, replication rules, grants, and callers when read.</summary>
public sealed record KeySetDependentsCount(string KeyId, string DisplayName, int Buckets, int ReplicationRules, int Grants, int? Principals)
{
    public int Total => Buckets + ReplicationRules + Grants + (Principals ?? 0);
}
