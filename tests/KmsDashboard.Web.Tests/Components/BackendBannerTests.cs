using KmsDashboard.Core.Aws;
using KmsDashboard.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Web.Tests.Components;

public sealed class BackendBannerTests
{
    [Fact]
    public async Task InSandboxModeItNamesTheEmbeddedSandboxAndItsUrl()
    {
        await using var ctx = new DashboardTestContext();
        var sandbox = await ctx.UseSandboxAsync();

        var cut = ctx.Render<BackendBanner>();

        var expected = $"Sandbox (embedded, {sandbox.Url.ToString().TrimEnd('/')})";
        cut.WaitForAssertion(() => Assert.Equal(expected, cut.Find("#backend-banner").TextContent.Trim()));
        Assert.Contains("mud-chip-color-warning", cut.Find("#backend-banner").ClassList);
    }

    [Fact]
    public async Task InAwsModeItSaysSoEvenWhenTheAccountCannotBeRead()
    {
        await using var ctx = new DashboardTestContext();
        // An AWS-mode endpoint that does not serve STS: the sandbox answers "UnknownOperationException" for sts.
        await using var notSts = await KmsDashboard.Sandbox.Hosting.SandboxServer.StartAsync();
        ctx.Services.AddLogging();
        ctx.Services.AddSingleton(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Aws,
            Regions = ["eu-west-1", "us-east-1"],
            ServiceUrl = notSts.Url.ToString(),
        }));
        ctx.Services.AddSingleton<AwsClients>();
        ctx.Services.AddSingleton<BackendIdentity>();

        var cut = ctx.Render<BackendBanner>();

        cut.WaitForAssertion(() => Assert.Equal(
            $"AWS at {notSts.Url.ToString().TrimEnd('/')} (account unknown) · 2 Regions",
            cut.Find("#backend-banner").TextContent.Trim()));
        Assert.Contains("mud-chip-color-info", cut.Find("#backend-banner").ClassList);
    }
}
