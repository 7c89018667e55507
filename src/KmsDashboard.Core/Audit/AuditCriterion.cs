using KmsDashboard.Core.Aws.CloudTrail;

namespace KmsDashboard.Core.Audit;

/// <summary>One condition on events, named by its LookupEvents attribute; checked by CloudTrail or, past the first, here.</summary>
public sealed record AuditCriterion(string Attribute, string Value)
{
    /// <summary>True when the event meets the condition (as CloudTrail's lookup would decide it).</summary>
    public bool Matches(AuditEvent e) => Attribute switch
    {
        LookupAttributeKey.EventName => string.Equals(e.EventName, Value, StringComparison.Ordinal),
        LookupAttributeKey.Username => string.Equals(e.Username, Value, StringComparison.Ordinal),
        LookupAttributeKey.ReadOnly => e.ReadOnly == string.Equals(Value, "true", StringComparison.Ordinal),
        LookupAttributeKey.AccessKeyId => string.Equals(e.AccessKeyId, Value, StringComparison.Ordinal),
        LookupAttributeKey.EventSource => string.Equals(e.EventSource, Value, StringComparison.Ordinal),
        LookupAttributeKey.EventId => string.Equals(e.EventId, Value, StringComparison.Ordinal),
        LookupAttributeKey.ResourceName => e.KeyArns.Contains(Value, StringComparer.Ordinal) || e.Resources.Any(r => r.Arn == Value),
        _ => throw new InvalidOperationException($"No client-side check for {Attribute}."),
    };

    /// <summary>"event Decrypt", "user alice", "reads only", …</summary>
    public string Describe() => Attribute switch
    {
        LookupAttributeKey.EventName => $"event {Value}",
        LookupAttributeKey.Username => $"user {Value}",
        LookupAttributeKey.ReadOnly => Value == "true" ? "reads only" : "changes only",
        LookupAttributeKey.AccessKeyId => $"access key {Value}",
        LookupAttributeKey.EventSource => $"source {Value}",
        LookupAttributeKey.ResourceName => $"resource {Value}",
        _ => $"{Attribute} {Value}",
    };
}
