namespace KmsDashboard.Core.Audit;

/// <summary>A query that cannot be run, with every reason as a sentence.</summary>
public sealed class AuditQueryException(IReadOnlyList<string> problems) : ArgumentException(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
