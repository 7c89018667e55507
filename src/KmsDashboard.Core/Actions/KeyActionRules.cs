using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Actions;

/// <summary>Who may take each action and which actions need the key typed to confirm.</summary>
public static class KeyActionRules
{
    /// <summary>The policy the signed-in user must satisfy, checked by Core when planning and again when executing.</summary>
    public static string PolicyFor(KeyAction action) => IsDestructive(action) ? DashboardPolicies.CanAdminister : DashboardPolicies.CanOperate;

    /// <summary>Disable, schedule deletion and change of primary: Admin only, and the key id or alias must be typed.</summary>
    public static bool IsDestructive(KeyAction action) =>
        action is KeyAction.DisableKey or KeyAction.ScheduleDeletion or KeyAction.ChangePrimaryRegion;

    public static string Title(KeyAction action) => action switch
    {
        KeyAction.Replicate => "Replicate",
        KeyAction.ChangePrimaryRegion => "Change primary Region",
        KeyAction.EnableKey => "Enable key",
        KeyAction.DisableKey => "Disable key",
        KeyAction.EnableRotation => "Turn on automatic rotation",
        KeyAction.DisableRotation => "Turn off automatic rotation",
        KeyAction.RotateNow => "Rotate now",
        KeyAction.ScheduleDeletion => "Schedule deletion",
        KeyAction.CancelDeletion => "Cancel deletion",
        KeyAction.CreateAlias => "Create alias",
        KeyAction.UpdateAlias => "Re-point alias",
        KeyAction.DeleteAlias => "Delete alias",
        KeyAction.AlignAlias => "Align alias across the key set",
        KeyAction.EditTags => "Edit tags",
        KeyAction.EditDescription => "Edit description",
        KeyAction.CopyPrimaryProperties => "Copy primary's tags and description to replicas",
        _ => action.ToString(),
    };
}
