namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Automatic rotation as <c>GetKeyRotationStatus</c> reports it. <see cref="Applies"/> is false for keys that cannot
/// rotate (asymmetric, HMAC, imported or custom-store material), which then say nothing else.
/// </summary>
public sealed record KeyRotationInfo(
    bool Applies,
    bool Enabled,
    int? PeriodInDays = null,
    DateTimeOffset? NextRotationDate = null,
    DateTimeOffset? OnDemandRotationStartDate = null)
{
    public static readonly KeyRotationInfo NotApplicable = new(false, false);
}
