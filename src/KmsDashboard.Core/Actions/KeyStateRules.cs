using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// Which key-set actions can succeed in the keys' current states (AWS refuses the others with KMSInvalidStateException),
/// so the UI offers only those and says why the rest are not offered. Plans check the same states against fresh reads.
/// </summary>
public static class KeyStateRules
{
    /// <summary>Why <paramref name="action"/> cannot succeed for the key set whose primary is <paramref name="primary"/>, or null.</summary>
    public static string? Unavailable(KeyAction action, RegionalKey primary) => action.Unavailable(primary);
}
