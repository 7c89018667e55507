using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// One key set's part of a bulk automatic-rotation plan: what changes (the primary's setting governs every replica),
/// the next rotation date, the cost effect, and the guarded <see cref="KeyOperations"/> plan that makes the change.
/// </summary>
public sealed record KeySetRotationChange
{
    public required string KeyId { get; init; }
    public required string Name { get; init; }
    /// <summary>The account the key set lives in ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";
    /// <summary>How the account is shown: "Name (Id)"; "" in the single-account set-up.</summary>
    public string AccountLabel { get; init; } = "";
    public required string PrimaryRegion { get; init; }
    /// <summary>Every Region of the set, primary first: all of them follow the primary's setting.</summary>
    public required IReadOnlyList<string> Regions { get; init; }
    public required RotationChangeKind Kind { get; init; }
    /// <summary>One line: what happens, or why nothing does.</summary>
    public required string Summary { get; init; }
    /// <summary>Why, in more words: KeyOperations' notes and problems.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];
    public bool WasEnabled { get; init; }
    public int? PreviousPeriodInDays { get; init; }
    public int PeriodInDays { get; init; }
    /// <summary>When the next automatic rotation falls once this runs (null when nothing changes).</summary>
    public DateTimeOffset? NextRotationDate { get; init; }
    /// <summary>Rotations the key already had (ListKeyRotations), null when unread.</summary>
    public int? RotationsSoFar { get; init; }
    public int BilledKeys { get; init; }
    public RotationCostEffect? Cost { get; init; }

    /// <summary>The EnableKeyRotation plan from <see cref="KeyOperations.PlanAsync"/>; null when nothing is sent.</summary>
    public ActionPlan? Action { get; init; }

    public bool Changes => Kind is RotationChangeKind.TurnOn or RotationChangeKind.ChangePeriod && Action is { CanExecute: true };
    public IReadOnlyList<PlannedCall> Calls => Changes ? Action!.Calls : [];
}
