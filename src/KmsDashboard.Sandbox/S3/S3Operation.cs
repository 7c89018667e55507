namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// One S3 API operation the router chose: its name, its handler, whether CloudTrail records it as a management event
/// (bucket configuration; object reads and writes are data events, not in LookupEvents), and whether it must be
/// signed for the bucket's own Region.
/// </summary>
internal sealed record S3Operation(string Name, Func<S3Call, Task> Handle, bool Management = false, bool ReadOnly = false, bool ChecksRegion = true);
