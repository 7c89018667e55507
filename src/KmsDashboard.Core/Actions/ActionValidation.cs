namespace KmsDashboard.Core.Actions;

/// <summary>What an action's <see cref="KeyAction.Validate"/> checks against, and where its problems go.</summary>
internal sealed class ActionValidation(List<string> problems, IReadOnlyList<string> regions)
{
    /// <summary>The Regions the dashboard may address.</summary>
    public IReadOnlyList<string> Regions => regions;

    /// <summary>Adds <paramref name="problem"/> unless it is null (the shape of every <see cref="KeyInputRules"/> check).</summary>
    public void Add(string? problem)
    {
        if (problem is not null) problems.Add(problem);
    }

    /// <summary>Every Region listed is configured, none twice; at least one when <paramref name="required"/>. Null is not checked.</summary>
    public void CheckRegions(IReadOnlyList<string>? list, string what, bool required)
    {
        if (list is null) return;
        if (required && list.Count == 0) problems.Add($"Choose at least one {what}.");
        foreach (var r in list)
            Add(KeyInputRules.CheckRegion(r, regions));
        if (list.Distinct(StringComparer.Ordinal).Count() != list.Count) problems.Add($"A {what} is listed twice.");
    }
}
