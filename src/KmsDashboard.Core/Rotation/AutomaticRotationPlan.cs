using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// The bulk automatic-rotation plan: one <see cref="KeySetRotationChange"/> per chosen key set, the total cost effect,
/// and what must be typed to confirm. Executable once, by its planner, within <see cref="KeyOperations.PlanLifetime"/>.
/// </summary>
public sealed class AutomaticRotationPlan
{
    internal AutomaticRotationPlan(AutomaticRotationRequest request, DashboardUser plannedBy, DateTimeOffset plannedAt)
    {
        Request = request;
        PlannedBy = plannedBy;
        PlannedAt = plannedAt;
    }

    public Guid Id { get; } = Guid.NewGuid();
    public AutomaticRotationRequest Request { get; }
    public DashboardUser PlannedBy { get; }
    public DateTimeOffset PlannedAt { get; }
    public PlanStatus Status { get; internal set; } = PlanStatus.Ready;
    public int? PeriodInDays { get; internal set; }

    /// <summary>Why nothing can run: bad input, a missing role, the read-only switch.</summary>
    public IReadOnlyList<string> Problems => _problems;
    public IReadOnlyList<KeySetRotationChange> Changes => _changes;

    public IReadOnlyList<KeySetRotationChange> Changing => [.. _changes.Where(c => c.Changes)];
    public decimal MonthlyIncreaseUsd => Changing.Sum(c => c.Cost?.MonthlyIncreaseUsd ?? 0);
    public bool CanExecute => Status == PlanStatus.Ready && Changing.Count > 0;

    /// <summary>What to type: "rotate" and the number of key sets that change.</summary>
    public string ConfirmationText => $"rotate {Changing.Count}";

    public bool IsConfirmedBy(string? typed) => string.Equals(typed?.Trim(), ConfirmationText, StringComparison.OrdinalIgnoreCase);

    internal readonly List<string> _problems = [];
    internal readonly List<KeySetRotationChange> _changes = [];
}
