namespace KmsDashboard.Core.Drills;

/// <summary>
/// One Region of a drilled key set: the name the drill used there (the alias, or the key id when the set has no alias
/// in that Region), whether it was skipped, and whether it can serve on its own — it generated a data key and decrypted
/// the ciphertext every other Region made.
/// </summary>
public sealed record DrillRegion(string Region, bool IsPrimary, string KeyName, bool NamedByAlias, bool Skipped, bool ServesAlone, string Note);
