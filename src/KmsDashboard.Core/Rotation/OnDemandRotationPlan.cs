using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Rotation;

/// <summary>The on-demand rotation of one key set: the status it was planned from and KeyOperations' RotateNow plan.</summary>
public sealed record OnDemandRotationPlan(OnDemandRotationStatus Status, ActionPlan Action)
{
    public bool CanExecute => Action.CanExecute;
}
