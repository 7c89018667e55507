namespace KmsDashboard.Core.Rotation;

/// <summary>Turn on automatic rotation, with one period, for the chosen key sets. The period is the text as typed.</summary>
public sealed record AutomaticRotationRequest
{
    /// <summary>
    /// Key ids (<c>mrk-…</c> or single-Region UUIDs) from the inventory; when the dashboard reads several accounts, each may
    /// be a key ARN, which names its account (<see cref="RotationCandidate.Reference"/>).
    /// </summary>
    public required IReadOnlyList<string> KeyIds { get; init; }

    /// <summary>The account of the key ids given without an ARN, when the dashboard reads several; empty otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Account { get; init; }

    /// <summary>Days, as typed: Core parses it and refuses text or a value outside 90–2560.</summary>
    public required string RotationPeriod { get; init; }
}
