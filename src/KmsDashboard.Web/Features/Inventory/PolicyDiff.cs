using System.Text.Json;
using System.Text.Json.Nodes;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>A line diff of two key policies, both pretty-printed first so formatting alone never shows as a change.</summary>
public static class PolicyDiff
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<PolicyDiffLine> Compare(string? primary, string? other)
    {
        var model = InlineDiffBuilder.Diff(Pretty(primary), Pretty(other), ignoreWhiteSpace: false);
        return [.. model.Lines.Select(l => new PolicyDiffLine(l.Type switch
        {
            ChangeType.Deleted => PolicyDiffKind.Removed,
            ChangeType.Inserted => PolicyDiffKind.Added,
            _ => PolicyDiffKind.Same,
        }, l.Text ?? ""))];
    }

    public static string Pretty(string? policy)
    {
        if (string.IsNullOrWhiteSpace(policy)) return "";
        try
        {
            return JsonNode.Parse(policy)?.ToJsonString(Indented) ?? policy;
        }
        catch (JsonException)
        {
            return policy;
        }
    }
}
