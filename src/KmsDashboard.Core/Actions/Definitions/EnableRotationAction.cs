using KmsDashboard.Core.Inventory;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Turn on (or change the period of) automatic rotation, on the key set's primary.</summary>
public sealed class EnableRotationAction : KeyAction<EnableRotationRequest>
{
    public override string Name => "EnableRotation";
    public override string Title => "Turn on automatic rotation";

    public override int Order => 51;
    public override ActionMenu? Menu => ActionMenu.Rotation;
    public override string ElementId => "action-rotation-on";
    public override string BarLabel(KeyActionTarget target) => target.Primary.Rotation.Enabled ? "Change rotation period…" : "Turn on automatic rotation…";
    public override bool AppliesTo(KeyActionTarget target) => target.Primary.Rotation.Applies;
    public override string? Unavailable(RegionalKey primary) => RotationUnavailable(primary);

    /// <summary>Rotation is set on the primary, and only while it is Enabled.</summary>
    internal static string? RotationUnavailable(RegionalKey primary) =>
        primary.State != "Enabled" ? $"rotation is set on the primary, which is {primary.State} in {primary.Region}" : null;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        // No Min/Max on the field: it would rewrite an out-of-range value on blur. Core refuses it, and says why.
        new("period", ActionInputKind.Number, "Rotation period (days)")
        {
            ElementId = "rotation-period", Immediate = true,
            Min = KeyInputRules.MinRotationPeriodDays, Max = KeyInputRules.MaxRotationPeriodDays,
            Help = $"{KeyInputRules.MinRotationPeriodDays}–{KeyInputRules.MaxRotationPeriodDays} days; AWS's default is 365.",
            Initial = target.Primary.Rotation.PeriodInDays ?? KeyInputRules.DefaultRotationPeriodDays,
            Check = v => KeyInputRules.CheckRotationPeriod(v is int days ? days : 0), ProblemElementId = "rotation-period-error",
        },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new EnableRotationRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, RotationPeriodInDays = values.Number("period") };
    }

    internal override void Validate(EnableRotationRequest r, ActionValidation v) => v.Add(KeyInputRules.CheckRotationPeriod(r.RotationPeriodInDays));

    internal override Task PlanAsync(ActionPlanning p, EnableRotationRequest r, CancellationToken ct) => PlanAsync(p, r.RotationPeriodInDays, ct);

    /// <summary>Turning rotation on (a period) or off (null): the same reads, one call.</summary>
    internal static async Task PlanAsync(ActionPlanning p, int? periodDays, CancellationToken ct)
    {
        var keyId = p.KeyId;
        if (await p.RotatableAsync(ct) is not { } primary) return;
        var (enabled, currentPeriod, next) = await p.Reader.RotationStatusAsync(primary.Region, keyId, ct);
        p.Note(enabled ? $"Automatic rotation is on, every {currentPeriod} days; next on {next:yyyy-MM-dd}." : "Automatic rotation is off.");
        if (periodDays is { } days)
        {
            if (enabled && currentPeriod == days) { p.Note($"It already rotates every {days} days."); return; }
            p.Note($"After this it rotates every {days} days; the next automatic rotation falls about {(enabled && next is { } n ? n : p.Now.AddDays(days)):yyyy-MM-dd}" +
                   (enabled ? " (AWS recomputes it from the last rotation)." : "."));
            p.Call(primary.Region, "EnableKeyRotation", $"KeyId={keyId}, RotationPeriodInDays={days}", $"Rotate automatically every {days} days.",
                (kms, c) => kms.EnableKeyRotationAsync(new Kms.EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = days }, c));
        }
        else
        {
            if (!enabled) return;
            p.Note("Existing key material is kept; the key simply stops rotating.");
            p.Call(primary.Region, "DisableKeyRotation", $"KeyId={keyId}", "Stop automatic rotation.",
                (kms, c) => kms.DisableKeyRotationAsync(new Kms.DisableKeyRotationRequest { KeyId = keyId }, c));
        }
    }
}
