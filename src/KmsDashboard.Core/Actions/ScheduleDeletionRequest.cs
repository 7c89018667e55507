namespace KmsDashboard.Core.Actions;

/// <summary>
/// Schedule a key's deletion after a 7–30 day waiting period. For a primary with replicas, the replicas listed in
/// <see cref="AlsoScheduleReplicasIn"/> are scheduled first, Region by Region.
/// </summary>
public sealed record ScheduleDeletionRequest : KeyActionRequest
{
    public int PendingWindowInDays { get; init; } = KeyInputRules.DefaultPendingWindowDays;

    public IReadOnlyList<string> AlsoScheduleReplicasIn { get; init; } = [];

    public override KeyAction Action => KeyAction.ScheduleDeletion;
}
