using KmsDashboard.Core.Inventory;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Rotate the key material on demand (at most 25 times per key), on the key set's primary.</summary>
public sealed class RotateNowAction : KeyAction<RotateNowRequest>
{
    public override string Name => "RotateNow";
    public override string Title => "Rotate now";

    public override int Order => 53;
    public override ActionMenu? Menu => ActionMenu.Rotation;
    public override string ElementId => "action-rotate-now";
    public override string BarLabel(KeyActionTarget target) => "Rotate now…";
    public override bool AppliesTo(KeyActionTarget target) => target.Primary.Rotation.Applies;
    public override string? Unavailable(RegionalKey primary) => EnableRotationAction.RotationUnavailable(primary);

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new RotateNowRequest { KeyId = target.Key.KeyId, Region = target.Key.Region };
    }

    internal override async Task PlanAsync(ActionPlanning p, RotateNowRequest request, CancellationToken ct)
    {
        var keyId = p.KeyId;
        if (await p.RotatableAsync(ct) is not { } primary) return;
        var (rotations, used) = await p.Reader.RotationCountsAsync(primary.Region, keyId, ct);
        var remaining = Math.Max(0, KeyInputRules.MaxOnDemandRotations - used);
        p.Note($"{remaining} of {KeyInputRules.MaxOnDemandRotations} on-demand rotations remain{(remaining > 0 ? $" ({remaining - 1} after this one)" : "")}.");
        if (remaining == 0) { p.Refuse($"{keyId} has used all {KeyInputRules.MaxOnDemandRotations} on-demand rotations."); return; }
        var (enabled, _, next) = await p.Reader.RotationStatusAsync(primary.Region, keyId, ct);
        if (enabled && next is { } due && due - p.Now <= TimeSpan.FromMinutes(20))
        {
            p.Refuse($"An automatic rotation is due at {due:yyyy-MM-dd HH:mm} UTC, within 20 minutes: AWS refuses an on-demand rotation now. Try after it.");
            return;
        }
        p.Note("New key material becomes current for the whole key set; old material is kept, so existing ciphertext still decrypts. "
            + KeyOperations.RotationCostNote(rotations, 1 + primary.ReplicaRegions.Count));
        p.Call(primary.Region, "RotateKeyOnDemand", $"KeyId={keyId}", "Rotate the key material now.",
            (kms, c) => kms.RotateKeyOnDemandAsync(new Kms.RotateKeyOnDemandRequest { KeyId = keyId }, c));
    }
}
