using KmsDashboard.Web.Components.Shared;

namespace KmsDashboard.Web.Tests.Components;

public sealed class KeyStateChipTests
{
    [Theory]
    [InlineData("Enabled", "mud-chip-color-success", "Enabled")]
    [InlineData("Disabled", "mud-chip-color-warning", "Disabled")]
    [InlineData("PendingDeletion", "mud-chip-color-error", "Pending deletion")]
    [InlineData("PendingReplicaDeletion", "mud-chip-color-error", "Pending replica deletion")]
    [InlineData("Creating", "mud-chip-color-info", "Creating")]
    public async Task ShowsTheStateInItsColourAndInWords(string state, string colourClass, string label)
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<KeyStateChip>(p => p.Add(x => x.State, state));

        var chip = cut.Find(".key-state-chip");
        Assert.Contains(colourClass, chip.ClassList);
        Assert.Equal(label, chip.TextContent.Trim());
        Assert.Equal(state, chip.GetAttribute("data-state"));
    }
}
