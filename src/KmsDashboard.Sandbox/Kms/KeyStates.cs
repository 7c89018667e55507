namespace KmsDashboard.Sandbox.Kms;

/// <summary>The KeyState values of the KMS API.</summary>
internal static class KeyStates
{
    public const string Creating = "Creating";
    public const string Enabled = "Enabled";
    public const string Disabled = "Disabled";
    public const string PendingDeletion = "PendingDeletion";
    public const string PendingImport = "PendingImport";
    public const string PendingReplicaDeletion = "PendingReplicaDeletion";
    public const string Unavailable = "Unavailable";
    public const string Updating = "Updating";
}
