namespace KmsDashboard.Core.Findings;

/// <summary>
/// One problem found in one evaluation: which check, on which key (a key set's <c>mrk-</c> id or a single-Region key's
/// id), in which Region (null: the key set as a whole), about what (a principal, an account, a tag…), what was seen,
/// and what fixes it. <see cref="Id"/> is stable across evaluations, so the store can tell first and last seen.
/// </summary>
public sealed record Finding
{
    public required FindingCheck Check { get; init; }
    public required string KeyId { get; init; }
    public required string KeyName { get; init; }
    public string? Region { get; init; }
    /// <summary>The key's AWS account: "" in the single-account set-up (and for findings about no key).</summary>
    public string Account { get; init; } = "";
    /// <summary>What the finding is about within the key, when a key can have several (an account, a principal, a caller).</summary>
    public string? Subject { get; init; }
    public FindingSeverity? SeverityOverride { get; init; }
    /// <summary>What was seen, one fact a line.</summary>
    public required IReadOnlyList<string> Evidence { get; init; }
    public FindingFix? Fix { get; init; }
    /// <summary>Money a fix would save each month (envelope encryption, idle keys), when it can be said.</summary>
    public decimal? MonthlySaving { get; init; }

    public FindingSeverity Severity => SeverityOverride ?? Check.Severity;

    public string Id => MakeId(Check.Id, KeyId, Region, Subject, Account);

    /// <summary>The stable id; the account is appended only when there is one, so single-account ids stay as they were.</summary>
    public static string MakeId(string checkId, string keyId, string? region, string? subject, string? account = null) =>
        $"{checkId}|{keyId}|{region ?? "*"}|{subject ?? ""}" + (string.IsNullOrEmpty(account) ? "" : $"|{account}");
}
