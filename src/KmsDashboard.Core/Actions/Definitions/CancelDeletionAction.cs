using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Cancel a scheduled deletion; the key is left Disabled unless it is enabled again afterwards.</summary>
public sealed class CancelDeletionAction : KeyAction<CancelDeletionRequest>
{
    public override string Name => "CancelDeletion";
    public override string Title => "Cancel deletion";

    public override int Order => 80;
    public override string ElementId => "action-cancel-deletion";
    public override string Icon => "Restore";
    public override bool AppliesTo(KeyActionTarget target) => target.Key.IsPendingDeletion;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("reEnable", ActionInputKind.Toggle, "Enable the key again afterwards (cancelling leaves it Disabled)") { ElementId = "re-enable", Initial = true },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new CancelDeletionRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, ReEnable = values.Toggle("reEnable") };
    }

    internal override async Task PlanAsync(ActionPlanning p, CancelDeletionRequest r, CancellationToken ct)
    {
        var (keyId, region) = (p.KeyId, p.Region);
        if (await p.KeyAsync(ct) is not { } key) return;
        if (!key.IsPendingDeletion) { p.Refuse($"{keyId} in {region} is {key.State}, not pending deletion."); return; }
        p.Note(r.ReEnable
            ? "Cancelling leaves the key Disabled; it is then enabled again."
            : "Cancelling leaves the key Disabled: it stays unusable until it is enabled.");
        p.Call(region, "CancelKeyDeletion", $"KeyId={keyId}", $"Cancel the deletion in {region}.",
            (kms, c) => kms.CancelKeyDeletionAsync(new Kms.CancelKeyDeletionRequest { KeyId = keyId }, c));
        if (r.ReEnable)
            p.Call(region, "EnableKey", $"KeyId={keyId}", $"Enable the key again in {region}.",
                (kms, c) => kms.EnableKeyAsync(new Kms.EnableKeyRequest { KeyId = keyId }, c), dependsOnPreviousInRegion: true);
    }
}
