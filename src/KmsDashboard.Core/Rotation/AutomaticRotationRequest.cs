namespace KmsDashboard.Core.Rotation;

/// <summary>Turn on automatic rotation, with one period, for the chosen key sets. The period is the text as typed.</summary>
public sealed record AutomaticRotationRequest
{
    /// <summary>Key ids (<c>mrk-…</c> or single-Region UUIDs) from the inventory.</summary>
    public required IReadOnlyList<string> KeyIds { get; init; }

    /// <summary>Days, as typed: Core parses it and refuses text or a value outside 90–2560.</summary>
    public required string RotationPeriod { get; init; }
}
