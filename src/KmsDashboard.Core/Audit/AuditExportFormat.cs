namespace KmsDashboard.Core.Audit;

public enum AuditExportFormat
{
    Csv,
    /// <summary>JSON Lines: one full CloudTrail record per line.</summary>
    JsonLines,
}
