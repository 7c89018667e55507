namespace KmsDashboard.Core.Dependents;

/// <summary>Where an object scan stands.</summary>
public enum ObjectScanStatus
{
    /// <summary>Under way; found on disk with no scan running, the app stopped mid-scan (resumable).</summary>
    Running,
    /// <summary>Stopped by a user (or the app stopping); resumable from the last whole page.</summary>
    Cancelled,
    /// <summary>Stopped by an error S3 kept returning; resumable from the last whole page.</summary>
    Failed,
    Completed,
}
