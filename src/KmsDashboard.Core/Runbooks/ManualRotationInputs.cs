namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// Start inputs of the manual rotation ("new key, keep the alias"). Null means "copy from the old key set": every
/// alias in every Region, the primary's description (with a suffix), key policy, tags and rotation setting.
/// </summary>
public sealed record ManualRotationInputs : RunbookInputs
{
    public const string KindName = "ManualRotation";

    public override string Kind => KindName;

    /// <summary>The old key set (its key id, any Region).</summary>
    public required string KeyId { get; init; }

    /// <summary>The aliases to move; null moves all of them in all Regions.</summary>
    public IReadOnlyList<AliasMove>? Aliases { get; init; }

    public string? Description { get; init; }
    public string? Policy { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public bool? RotationEnabled { get; init; }
    public int? RotationPeriodDays { get; init; }

    /// <summary>The watch step refuses to go on while the old key was used in this many past hours.</summary>
    public int DrainHours { get; init; } = 24;
}
