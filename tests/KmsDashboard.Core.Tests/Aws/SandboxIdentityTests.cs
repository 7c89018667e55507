using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Aws;

/// <summary>Pointed at a standalone sandbox as at any endpoint (Aws mode), the banner names the sandbox's account from STS.</summary>
public sealed class SandboxIdentityTests
{
    [Fact]
    public async Task TheBannerNamesTheSandboxAccountFromSts()
    {
        // Aws mode takes credentials from the default chain; the same values the moto tests use (the sandbox takes any).
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, AccountId = "444455556666" });
        using var clients = new AwsClients(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Aws,
            Regions = ["us-east-1", "eu-west-1"],
            ServiceUrl = sandbox.Url.ToString(),
        }));

        var backend = await new BackendIdentity(clients, NullLogger<BackendIdentity>.Instance).DescribeAsync();

        Assert.Null(backend.Error);
        Assert.Equal("444455556666", backend.Account);
    }
}
