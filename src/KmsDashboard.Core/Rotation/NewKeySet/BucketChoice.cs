namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>
/// One bucket as the new-key-set wizard offers it: its Region, its default encryption now, and whether it can be chosen
/// (only buckets in a Region of the new set can — S3 encrypts with a key in the bucket's own Region) or why not.
/// </summary>
public sealed record BucketChoice(string Name, string? Region, string CurrentDefault, bool Selectable, string? Reason);
