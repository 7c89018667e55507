namespace KmsDashboard.Core.Findings;

/// <summary>
/// A finding as stored: one row per finding id, kept across evaluations so first and last seen are real. A finding
/// not seen again is fixed (<see cref="FixedAt"/>); one whose Region could not be read is kept and marked stale.
/// </summary>
public sealed class FindingRecord
{
    /// <summary>The finding's stable id (<see cref="Finding.Id"/>).</summary>
    public string Id { get; set; } = "";
    public string CheckId { get; set; } = "";
    public string Severity { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string KeyName { get; set; } = "";
    public string? Region { get; set; }
    /// <summary>The key's AWS account ("" in the single-account set-up). Added by the findings store's <c>Account</c> migration.</summary>
    public string Account { get; set; } = "";
    public string? Subject { get; set; }
    /// <summary>The evidence lines of the latest evaluation that saw it (JSON array).</summary>
    public string Evidence { get; set; } = "[]";
    public string? FixAction { get; set; }
    public string? FixRegion { get; set; }
    public string? FixLink { get; set; }
    public string? FixLabel { get; set; }
    public decimal? MonthlySaving { get; set; }
    /// <summary>UTC.</summary>
    public DateTime FirstSeen { get; set; }
    /// <summary>UTC: the latest evaluation that saw it.</summary>
    public DateTime LastSeen { get; set; }
    /// <summary>UTC: the evaluation that no longer saw it (null while open).</summary>
    public DateTime? FixedAt { get; set; }
    /// <summary>Its Region (or source) could not be read in the latest evaluation: shown as last seen, not as fixed.</summary>
    public bool Stale { get; set; }
    public string? StaleReason { get; set; }
}
