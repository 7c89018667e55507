namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Disable a key in one Region. Destructive: Admin, typed confirmation.</summary>
public sealed class DisableKeyAction : KeyAction<DisableKeyRequest>
{
    public override string Name => "DisableKey";
    public override string Title => "Disable key";
    public override bool IsDestructive => true;

    public override int Order => 40;
    public override string ElementId => "action-disable";
    public override string Icon => "Block";
    public override string BarLabel(KeyActionTarget target) => "Disable";
    public override bool AppliesTo(KeyActionTarget target) => target.Key.State == "Enabled";

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new DisableKeyRequest { KeyId = target.Key.KeyId, Region = target.Key.Region };
    }

    internal override Task PlanAsync(ActionPlanning p, DisableKeyRequest request, CancellationToken ct) => EnableKeyAction.PlanAsync(p, enable: false, ct);
}
