namespace KmsDashboard.Core.Actions;

/// <summary>A menu of the action bar that groups related actions (see <see cref="KeyAction.Menu"/>).</summary>
/// <param name="Icon">A Material icon name (<c>Icons.Material.Filled.*</c>).</param>
public sealed record ActionMenu(string Label, string ElementId, string Icon, int Order)
{
    public static readonly ActionMenu Rotation = new("Rotation", "action-rotation", "Autorenew", 50);
    public static readonly ActionMenu Aliases = new("Aliases", "action-aliases", "Label", 60);
    public static readonly ActionMenu Properties = new("Tags & description", "action-properties", "Sell", 70);
}
