using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Rotation;

/// <summary>How one key set's change went: the EnableKeyRotation call in its primary's Region, AWS's request id, its own journal entry.</summary>
public sealed record KeySetRotationOutcome(string KeyId, string Name, string Region, ActionOutcome Outcome, string Message, string? RequestId, long? JournalEntryId,
    string Account = "");
