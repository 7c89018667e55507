namespace KmsDashboard.Core.Findings;

/// <summary>How bad a finding is, lowest first (so ordering by it descending puts the worst first).</summary>
public enum FindingSeverity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
