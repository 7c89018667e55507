namespace KmsDashboard.Core.Actions;

/// <summary>Every key action the dashboard can take, each through the guarded path of <see cref="KeyOperations"/>.</summary>
public enum KeyAction
{
    Replicate,
    ChangePrimaryRegion,
    EnableKey,
    DisableKey,
    EnableRotation,
    DisableRotation,
    RotateNow,
    ScheduleDeletion,
    CancelDeletion,
    CreateAlias,
    UpdateAlias,
    DeleteAlias,
    AlignAlias,
    EditTags,
    EditDescription,
    CopyPrimaryProperties,
}
