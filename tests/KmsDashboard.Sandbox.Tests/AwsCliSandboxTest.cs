using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests;

/// <summary>A test class whose every test gets a fresh sandbox (started with <paramref name="options"/>) and the aws CLI pointed at it.</summary>
public abstract class AwsCliSandboxTest(SandboxOptions options) : IAsyncLifetime
{
    protected const string Account = "111122223333";

    protected SandboxServer Server { get; private set; } = null!;
    protected AwsCli Cli { get; private set; } = null!;

    protected T Service<T>() where T : notnull => Server.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(options);
        Cli = new AwsCli(Server.Url);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
