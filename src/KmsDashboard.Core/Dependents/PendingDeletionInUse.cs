using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Dependents;

/// <summary>A key pending deletion that something still uses: the Overview's alarm, with the evidence in words.</summary>
public sealed record PendingDeletionInUse(KeyRef Key, string DisplayName, string State, DateTimeOffset? DeletionDate, IReadOnlyList<string> Reasons);
