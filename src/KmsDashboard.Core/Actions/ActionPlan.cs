using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// What an action will do, worked out from freshly read state: the preconditions' verdict, the blast radius and the
/// exact AWS calls Region by Region. Issued by <see cref="KeyOperations.PlanAsync"/>; executable once, by its planner.
/// </summary>
public sealed class ActionPlan
{
    internal ActionPlan(KeyActionRequest request, DashboardUser plannedBy, DateTimeOffset plannedAt)
    {
        Request = request;
        PlannedBy = plannedBy;
        PlannedAt = plannedAt;
    }

    public Guid Id { get; } = Guid.NewGuid();
    public KeyActionRequest Request { get; }
    public KeyAction Action => Request.Action;
    public string Title => KeyActionRules.Title(Action);
    public DashboardUser PlannedBy { get; }
    public DateTimeOffset PlannedAt { get; }

    /// <summary>The key id (never the ARN) and the Region it was addressed in, once validated.</summary>
    public string KeyId { get; internal set; } = "";
    public string Region { get; internal set; } = "";

    /// <summary>The account the action runs in ("" in the single-account set-up).</summary>
    public string Account { get; internal set; } = "";

    public PlanStatus Status { get; internal set; } = PlanStatus.Ready;

    /// <summary>Why the plan cannot run: invalid inputs, refused preconditions, or a missing role.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>What the action touches: replicas, aliases pointing at the key, its last use.</summary>
    public IReadOnlyList<string> BlastRadius => _blastRadius;

    /// <summary>What depends on the key (buckets, replication rules, grants, callers) for destructive actions; null when not read.</summary>
    public Dependents.BlastRadius? Dependents { get; internal set; }

    /// <summary>Explanations: current state, what AWS will do (PendingReplicaDeletion, next rotation date, …).</summary>
    public IReadOnlyList<string> Notes => _notes;

    public IReadOnlyList<PlannedCall> Calls => _calls;

    /// <summary>Disable, schedule deletion and change of primary: the key id or an alias must be typed to confirm.</summary>
    public bool RequiresTypedConfirmation => KeyActionRules.IsDestructive(Action);

    /// <summary>What may be typed to confirm: the key id, or an alias of the key in its Region.</summary>
    public IReadOnlyList<string> ConfirmationTexts => _confirmations;

    /// <summary>Replicas a scheduled deletion of this primary could also schedule (the dialog offers them).</summary>
    public IReadOnlyList<string> ReplicaRegions { get; internal set; } = [];

    /// <summary>The keys to re-read once the action ran.</summary>
    public IReadOnlyList<KeyRef> AffectedKeys => _affected;

    public bool CanExecute => Status == PlanStatus.Ready && _calls.Count > 0;

    /// <summary>The two-person rule's record (requester and approver) when this plan runs on an approval; set by Core only.</summary>
    public Approvals.ApprovalStamp? Approval { get; internal set; }

    public bool IsConfirmedBy(string? typed) =>
        !RequiresTypedConfirmation || (typed is not null && (_confirmations.Contains(typed.Trim(), StringComparer.Ordinal)
            // People name an alias without its prefix ("payments-prod"): that names the alias too.
            || _confirmations.Contains("alias/" + typed.Trim(), StringComparer.Ordinal)));

    /// <summary>Why <paramref name="typed"/> does not confirm this plan, or null when it does (or nothing is typed yet).</summary>
    public string? ConfirmationProblem(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || IsConfirmedBy(typed)) return null;
        var expected = string.Join(" or ", _confirmations.Select(c => $"'{c}'"));
        return $"'{typed.Trim()}' does not name this key: type {expected} (an alias may be typed without 'alias/').";
    }

    internal readonly List<string> _problems = [];
    internal readonly List<string> _blastRadius = [];
    internal readonly List<string> _notes = [];
    internal readonly List<PlannedCall> _calls = [];
    internal readonly List<string> _confirmations = [];
    internal readonly List<KeyRef> _affected = [];
}
