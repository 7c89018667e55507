namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>One lookup attribute (Amazon.CloudTrail.Model.LookupAttribute); LookupEvents takes at most one.</summary>
public sealed class LookupAttribute
{
    /// <summary>One of <see cref="LookupAttributeKey"/>'s values.</summary>
    public string AttributeKey { get; set; } = "";
    public string AttributeValue { get; set; } = "";
}
