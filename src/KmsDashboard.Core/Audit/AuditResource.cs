namespace KmsDashboard.Core.Audit;

/// <summary>A resource named by an event: its type (AWS::KMS::Key) and ARN.</summary>
public sealed record AuditResource(string Type, string Arn);
