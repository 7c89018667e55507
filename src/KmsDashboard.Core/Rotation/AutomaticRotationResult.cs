using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Rotation;

/// <summary>The outcome of a bulk automatic-rotation plan, key set by key set, and its journal entry.</summary>
public sealed record AutomaticRotationResult(ActionOutcome Outcome, string Summary, IReadOnlyList<KeySetRotationOutcome> KeySets, long? JournalEntryId);
