namespace KmsDashboard.Core.Actions;

/// <summary>Who may take each action and which actions need the key typed to confirm (each action says so itself).</summary>
public static class KeyActionRules
{
    /// <summary>The policy the signed-in user must satisfy, checked by Core when planning and again when executing.</summary>
    public static string PolicyFor(KeyAction action) => action.Policy;

    /// <summary>Disable, schedule deletion and change of primary: Admin only, and the key id or alias must be typed.</summary>
    public static bool IsDestructive(KeyAction action) => action.IsDestructive;

    public static string Title(KeyAction action) => action.Title;
}
