namespace KmsDashboard.Core.Audit;

/// <summary>The one filter an audit query may carry (CloudTrail's lookup takes a single attribute).</summary>
public enum AuditFilterKind
{
    None,
    /// <summary>A key id, key ARN or alias, resolved to every related key ARN across Regions.</summary>
    Key,
    EventName,
    /// <summary>User name or role session name (CloudTrail's Username).</summary>
    User,
    AccessKey,
    /// <summary>"true" for read-only calls, "false" for changes.</summary>
    ReadOnly,
}
