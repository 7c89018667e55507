using System.Globalization;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// What would lose access if a key set stopped working: buckets whose default names it, replication rules that
/// encrypt with it, grants on it, and the principals seen using it over the window. Parts that could not be read are
/// listed in <see cref="Unknown"/>, so a zero is never mistaken for "nothing".
/// </summary>
public sealed record BlastRadius(int Buckets, int ReplicationRules, int Grants, int Principals, TimeSpan Window, IReadOnlyList<string> Unknown)
{
    public const string LoseAccess = "would lose access";

    /// <summary>What happens to them, as the summary ends: "would lose access" for disabling or deleting.</summary>
    public string Consequence { get; init; } = LoseAccess;

    /// <summary>The Regions counted (null: every Region of the key set).</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    public bool IsEmpty => Buckets == 0 && ReplicationRules == 0 && Grants == 0 && Principals == 0;

    public bool Complete => Unknown.Count == 0;

    public int Total => Buckets + ReplicationRules + Grants + Principals;

    /// <summary>"3 buckets, 1 replication rule, 2 grants, 14 principals in the last 30 days would lose access".</summary>
    public string Summary
    {
        get
        {
            var where = Regions is null ? "" : $" (in {string.Join(", ", Regions)})";
            var text = IsEmpty
                ? $"No buckets, replication rules or grants name this key{(Regions is null ? "" : " in " + string.Join(", ", Regions))}, and no principal used it in the last {Days(Window)}"
                : $"{Count(Buckets, "bucket")}, {Count(ReplicationRules, "replication rule")}, {Count(Grants, "grant")}, "
                  + $"{Count(Principals, "principal")} in the last {Days(Window)}{where} {Consequence}";
            return Complete ? text : $"{text} (not known: {string.Join("; ", Unknown)})";
        }
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    internal static string Days(TimeSpan window) => window.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalDays:0} day{(Math.Abs(window.TotalDays - 1) < 0.01 ? "" : "s")}")
        : string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0} hours");
}
