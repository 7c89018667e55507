namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Key states as people read them: "PendingReplicaDeletion" → "Pending replica deletion".</summary>
public static class KeyStateText
{
    public static string Label(string? state)
    {
        if (string.IsNullOrEmpty(state)) return "Unknown";
        var label = new System.Text.StringBuilder(state.Length + 4);
        for (var i = 0; i < state.Length; i++)
        {
            var c = state[i];
            if (i > 0 && char.IsUpper(c)) label.Append(' ').Append(char.ToLowerInvariant(c));
            else label.Append(c);
        }
        return label.ToString();
    }

    public static MudBlazor.Color Colour(string? state) => state switch
    {
        "Enabled" => MudBlazor.Color.Success,
        "Disabled" => MudBlazor.Color.Warning,
        "PendingDeletion" or "PendingReplicaDeletion" or "Unavailable" => MudBlazor.Color.Error,
        "Creating" or "Updating" or "PendingImport" => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };
}
