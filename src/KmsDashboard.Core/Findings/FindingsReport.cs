namespace KmsDashboard.Core.Findings;

/// <summary>
/// The findings as of the latest evaluation, for every user: open findings (and those fixed recently), what could not
/// be evaluated, a score per key set and for the estate, and the trend. Immutable; replaced after each evaluation.
/// </summary>
public sealed record FindingsReport(
    DateTimeOffset? EvaluatedAt,
    IReadOnlyList<FindingView> Findings,
    IReadOnlyList<CheckNote> NotEvaluated,
    IReadOnlyDictionary<string, int> KeyScores,
    double EstateScore,
    IReadOnlyList<EvaluationRecord> Trend,
    IReadOnlyList<SuppressionRecord> Suppressions,
    TimeSpan? Duration)
{
    public static readonly FindingsReport Empty = new(null, [], [], new Dictionary<string, int>(), 100, [], [], null);

    /// <summary>Score lost per open, unsuppressed finding of each severity (a key starts at 100, never below 0).</summary>
    public static int Weight(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => 40,
        FindingSeverity.High => 20,
        FindingSeverity.Medium => 8,
        FindingSeverity.Low => 3,
        _ => 0,
    };

    public IEnumerable<FindingView> Open => Findings.Where(f => f.IsOpen);

    public FindingView? Find(string id) => Findings.FirstOrDefault(f => f.Id == id);
}
