namespace KmsDashboard.Core.Actions;

/// <summary>The outcome of an executed (or refused) plan, call by call, and its journal entry.</summary>
public sealed record ActionResult(ActionOutcome Outcome, string Summary, IReadOnlyList<CallOutcome> Calls, long? JournalEntryId)
{
    public bool Succeeded => Outcome == ActionOutcome.Succeeded;
}
