using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Enable a disabled key in one Region.</summary>
public sealed class EnableKeyAction : KeyAction<EnableKeyRequest>
{
    public override string Name => "EnableKey";
    public override string Title => "Enable key";

    public override int Order => 30;
    public override string ElementId => "action-enable";
    public override string Icon => "PlayArrow";
    public override string BarLabel(KeyActionTarget target) => "Enable";
    public override bool AppliesTo(KeyActionTarget target) => target.Key.State == "Disabled";

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new EnableKeyRequest { KeyId = target.Key.KeyId, Region = target.Key.Region };
    }

    internal override Task PlanAsync(ActionPlanning p, EnableKeyRequest request, CancellationToken ct) => PlanAsync(p, enable: true, ct);

    /// <summary>Enable and disable share their preconditions; only the call differs.</summary>
    internal static async Task PlanAsync(ActionPlanning p, bool enable, CancellationToken ct)
    {
        var (keyId, region) = (p.KeyId, p.Region);
        if (await p.KeyAsync(ct) is not { } key) return;
        if (key.IsPendingDeletion) { p.Refuse($"{keyId} in {region} is {key.State}: cancel the deletion first."); return; }
        if (enable && key.State == "Enabled" || !enable && key.State == "Disabled") { p.Note($"It already is {key.State}."); return; }
        if (!ActionPlanning.Settled(key)) { p.Refuse($"{keyId} in {region} is {key.State}; wait until it is Enabled or Disabled."); return; }
        await p.BlastRadiusAsync(key, ct);
        if (!enable) await p.DependentsRadiusAsync([region], Dependents.BlastRadius.LoseAccess, ct);
        if (enable)
        {
            p.Call(region, "EnableKey", $"KeyId={keyId}", $"Enable the key in {region}.", (kms, c) => kms.EnableKeyAsync(new Kms.EnableKeyRequest { KeyId = keyId }, c));
        }
        else
        {
            p.Note($"Every cryptographic call with this key in {region} (through its id or its aliases) fails with DisabledException until it is enabled again." +
                   (key.IsMultiRegion ? " Other Regions' keys of the set are not affected: enabled state is per Region." : ""));
            p.Call(region, "DisableKey", $"KeyId={keyId}", $"Disable the key in {region}.", (kms, c) => kms.DisableKeyAsync(new Kms.DisableKeyRequest { KeyId = keyId }, c));
        }
    }
}
