using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Runbooks;

/// <summary>A runbook state names the keys it touches, so the inventory re-reads them after each step.</summary>
public interface IRunbookState
{
    IEnumerable<KeyRef> AffectedKeys { get; }
}
