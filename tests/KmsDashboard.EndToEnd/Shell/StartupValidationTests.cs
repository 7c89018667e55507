using KmsDashboard.EndToEnd.Infrastructure;

namespace KmsDashboard.EndToEnd.Shell;

/// <summary>A bad setting stops the real app at start with a message that names the setting.</summary>
public sealed class StartupValidationTests
{
    private static async Task<Exception> StartFailureAsync(Dictionary<string, string?> settings)
    {
        await using var factory = new DashboardAppFactory(settings);
        var failure = Record.Exception(() => factory.Start());
        Assert.NotNull(failure);
        return failure;
    }

    [Theory]
    [InlineData("Cloud")]
    [InlineData("7")]
    public async Task AnUnknownBackendModeNamesBackendMode(string mode)
    {
        var failure = await StartFailureAsync(new() { ["Backend:Mode"] = mode });

        Assert.Contains($"Backend:Mode '{mode}'", failure.ToString());
    }

    [Fact]
    public async Task ABadRegionNameNamesBackendRegions()
    {
        var failure = await StartFailureAsync(new() { ["Backend:Regions:0"] = "moon-1" });

        Assert.True(failure.ToString().Contains("Backend:Regions holds 'moon-1'"), failure.ToString());
    }

    [Fact]
    public async Task AnAwsModeWithABadRegionFailsBeforeAnyAwsCall()
    {
        var failure = await StartFailureAsync(new() { ["Backend:Mode"] = "Aws", ["Backend:Regions:1"] = "US-EAST-1" });

        Assert.Contains("Backend:Regions holds 'US-EAST-1'", failure.ToString());
    }
}
