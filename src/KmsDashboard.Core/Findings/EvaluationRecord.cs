namespace KmsDashboard.Core.Findings;

/// <summary>One evaluation's totals, kept for the trend chart.</summary>
public sealed class EvaluationRecord
{
    public long Id { get; set; }
    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    public int Critical { get; set; }
    public int High { get; set; }
    public int Medium { get; set; }
    public int Low { get; set; }
    public int Info { get; set; }
    public int Stale { get; set; }
    public int Suppressed { get; set; }
    public double EstateScore { get; set; }
    public double DurationMs { get; set; }
    /// <summary>What the evaluation could not evaluate (JSON array of <see cref="CheckNote"/>); null when it evaluated everything.</summary>
    public string? Notes { get; set; }
}
