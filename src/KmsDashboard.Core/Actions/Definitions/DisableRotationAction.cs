using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Turn off automatic rotation, on the key set's primary.</summary>
public sealed class DisableRotationAction : KeyAction<DisableRotationRequest>
{
    public override string Name => "DisableRotation";
    public override string Title => "Turn off automatic rotation";

    public override int Order => 52;
    public override ActionMenu? Menu => ActionMenu.Rotation;
    public override string ElementId => "action-rotation-off";
    public override string BarLabel(KeyActionTarget target) => "Turn off automatic rotation…";
    public override bool AppliesTo(KeyActionTarget target) => target.Primary.Rotation is { Applies: true, Enabled: true };
    public override string? Unavailable(RegionalKey primary) => EnableRotationAction.RotationUnavailable(primary);

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new DisableRotationRequest { KeyId = target.Key.KeyId, Region = target.Key.Region };
    }

    internal override Task PlanAsync(ActionPlanning p, DisableRotationRequest request, CancellationToken ct) => EnableRotationAction.PlanAsync(p, null, ct);
}
