namespace KmsDashboard.Core.Runbooks;

/// <summary>A definition's verdict on start inputs: the problems (nothing is stored when any), or the runbook's key, title and first state.</summary>
public sealed record RunbookStart(IReadOnlyList<string> Problems, string KeyId, string Title, object? State)
{
    public static RunbookStart Refused(params string[] problems) => new(problems, "", "", null);
}
