namespace KmsDashboard.Core.Findings;

/// <summary>When each key set last passed through a failover drill (check 8). Implemented by Core/Drills.</summary>
public interface IFailoverDrillHistory
{
    /// <summary>
    /// The last completed drill per key set, keyed by the key set's multi-Region key id (mrk-…), or "account/mrk-…" for a
    /// drill that ran in an account among several; key sets never drilled are absent.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> LastDrillsAsync(CancellationToken cancellationToken);
}

/// <summary>Whether a CloudTrail trail logs management events in each Region (check 5). Implemented by Core/Audit.</summary>
public interface ITrailCoverageReader
{
    Task<IReadOnlyList<TrailCoverage>> ReadAsync(IReadOnlyList<string> regions, CancellationToken cancellationToken);
}

/// <summary>One Region's trail coverage; <paramref name="Error"/> is set when the Region could not be read.</summary>
public sealed record TrailCoverage(string Region, bool LogsManagementEvents, string? TrailName, string? Error)
{
    /// <summary>The account whose trails these are ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";
}
