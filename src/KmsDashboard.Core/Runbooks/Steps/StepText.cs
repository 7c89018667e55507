namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>Short renderings shared by the steps' plans.</summary>
internal static class StepText
{
    public static string Tags(IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 ? "none" : string.Join(", ", tags.Select(t => $"{t.Key}={t.Value}"));

    public static string Shorten(string text, int max = 120) => text.Length <= max ? text : text[..max] + "…";
}
