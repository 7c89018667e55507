using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Web.Hosting;

/// <summary>Ties the embedded sandbox's lifetime to the app's and says where it listens.</summary>
internal sealed class EmbeddedSandboxHost(SandboxServer server, ILogger<EmbeddedSandboxHost> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Embedded sandbox serving the AWS APIs at {SandboxUrl}", server.Url);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
