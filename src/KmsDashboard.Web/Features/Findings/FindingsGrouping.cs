namespace KmsDashboard.Web.Features.Findings;

/// <summary>How the findings page groups its list.</summary>
public enum FindingsGrouping
{
    Check,
    KeySet,
}
