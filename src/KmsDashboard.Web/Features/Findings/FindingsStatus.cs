namespace KmsDashboard.Web.Features.Findings;

/// <summary>Which findings the page lists.</summary>
public enum FindingsStatus
{
    Open,
    New,
    Fixed,
    Suppressed,
    All,
}
