namespace KmsDashboard.Sandbox.S3;

/// <summary>A bucket's replication configuration: the IAM role S3 assumes and the rules, highest priority first when applied.</summary>
public sealed record BucketReplication(string Role, IReadOnlyList<BucketReplicationRule> Rules)
{
    /// <summary>The rule that applies to a new object, if any: enabled, prefix matching, highest priority (then first).</summary>
    public BucketReplicationRule? RuleFor(string key) => Rules
        .Select((rule, index) => (rule, index))
        .Where(r => r.rule.Enabled && key.StartsWith(r.rule.Prefix, StringComparison.Ordinal))
        .OrderByDescending(r => r.rule.Priority ?? 0).ThenBy(r => r.index)
        .Select(r => r.rule)
        .FirstOrDefault();
}
