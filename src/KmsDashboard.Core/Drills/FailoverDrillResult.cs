using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Drills;

/// <summary>
/// A completed failover drill of one key set: per Region the name used and whether it serves on its own, and the
/// source × target matrix of GenerateDataKey (diagonal) and Decrypt calls with their latency.
/// </summary>
public sealed record FailoverDrillResult
{
    public required Guid Id { get; init; }
    /// <summary>The key set's multi-Region key id (mrk-…).</summary>
    public required string KeyId { get; init; }
    /// <summary>The account the drill ran in ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";
    public required string Name { get; init; }
    public required string PrimaryRegion { get; init; }
    /// <summary>"Primary down" mode: the primary's Region was skipped, as if unavailable (nothing was disabled).</summary>
    public required bool PrimaryDown { get; init; }
    public required string User { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
    /// <summary>The set's Regions drilled or skipped, primary first.</summary>
    public required IReadOnlyList<DrillRegion> Regions { get; init; }
    public required IReadOnlyList<DrillCell> Cells { get; init; }
    /// <summary>What the drill could not cover (replica Regions the dashboard does not read, say).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The journal entry recording the drill, when the journal could be written.</summary>
    public long? JournalId { get; init; }

    [JsonIgnore]
    public IEnumerable<DrillRegion> Drilled => Regions.Where(r => !r.Skipped);

    /// <summary>Every drilled Region generated a data key and decrypted every other Region's ciphertext.</summary>
    [JsonIgnore]
    public bool EveryRegionServesAlone => Drilled.Any() && Drilled.All(r => r.ServesAlone);

    [JsonIgnore]
    public int FailedCells => Cells.Count(c => c.IsFailure);

    public DrillCell? Cell(string source, string target) => Cells.FirstOrDefault(c => c.Source == source && c.Target == target);

    [JsonIgnore]
    public string Summary
    {
        get
        {
            var drilled = Drilled.ToList();
            var mode = PrimaryDown ? $" with the primary's Region ({PrimaryRegion}) down" : "";
            if (EveryRegionServesAlone)
                return $"Every one of {drilled.Count} Regions{mode} generated a data key and decrypted every other Region's ciphertext.";
            var failing = drilled.Where(r => !r.ServesAlone).Select(r => r.Region);
            return $"{FailedCells} of {Cells.Count(c => c.Status != DrillCellStatus.Skipped)} checks failed{mode}; cannot serve on its own: {string.Join(", ", failing)}.";
        }
    }
}
