namespace KmsDashboard.Core.Findings;

/// <summary>How a suppression (or lifting one) went: done, or refused with the reason, the journal entry either way.</summary>
public sealed record SuppressionOutcome(bool Succeeded, string Message, SuppressionRecord? Suppression = null, long? JournalEntryId = null);
