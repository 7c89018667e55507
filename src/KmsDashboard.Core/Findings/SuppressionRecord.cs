namespace KmsDashboard.Core.Findings;

/// <summary>A finding suppressed by an Operator, with the reason and until when; lifting or expiry ends it.</summary>
public sealed class SuppressionRecord
{
    public long Id { get; set; }
    public string FindingId { get; set; } = "";
    public string CheckId { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string? Region { get; set; }
    public string Reason { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>UTC.</summary>
    public DateTime ExpiresAt { get; set; }
    public DateTime? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }

    public bool IsActive(DateTimeOffset now) => LiftedAt is null && ExpiresAt > now.UtcDateTime;
}
