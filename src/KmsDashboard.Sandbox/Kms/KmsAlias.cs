namespace KmsDashboard.Sandbox.Kms;

/// <summary>An alias in one Region, pointing at a key of the same Region.</summary>
internal sealed class KmsAlias(string name, string arn, string targetKeyId, DateTimeOffset created)
{
    public string Name { get; } = name;
    public string Arn { get; } = arn;
    public string TargetKeyId { get; set; } = targetKeyId;
    public DateTimeOffset CreationDate { get; } = created;
    public DateTimeOffset LastUpdatedDate { get; set; } = created;
}
