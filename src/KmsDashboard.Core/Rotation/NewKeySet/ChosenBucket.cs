namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>A bucket the operator chose in the new-key-set wizard, with the Region it lives in (where its default key must be).</summary>
public sealed record ChosenBucket(string Name, string Region);
