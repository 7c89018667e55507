using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Web.Hosting;

/// <summary>Backend:Mode=Sandbox: starts the AWS-compatible sandbox in-process and points every AWS client at it.</summary>
public static class SandboxHostingExtensions
{
    public static async Task<WebApplicationBuilder> AddSandboxIfEnabledAsync(this WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        // Checked in either mode, so that a bad Backend section is what a failed start names (not a later check).
        var mode = BackendOptions.ReadMode(builder.Configuration);
        ThrowIfBackendInvalid(builder.Configuration);
        if (mode != BackendMode.Sandbox) return builder;

        // Sandbox:* settings (account, seed, quotas) apply; the URL defaults to a free loopback port.
        var options = builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        // The sandbox's HTTP control endpoint (/_sandbox: clock, faults, reset) checks no role, and any process on this
        // machine can reach the loopback port. Embedded, it is off unless Sandbox:EnableControlEndpoint=true: the
        // dashboard changes faults and the clock in-process, through SandboxControls, which requires the Admin role.
        if (builder.Configuration[$"{SandboxOptions.Section}:{nameof(SandboxOptions.EnableControlEndpoint)}"] is null)
            options.EnableControlEndpoint = false;
        // The sandbox is a host of its own. It starts outside this execution context so that whatever watches for the
        // app's host being built (WebApplicationFactory's HostFactoryResolver keys on an AsyncLocal) ignores it.
        Task<SandboxServer> starting;
        using (ExecutionContext.SuppressFlow())
            starting = Task.Run(() => SandboxServer.StartAsync(options, cancellationToken), cancellationToken);
        var server = await starting;

        // Registered through a factory so that the container stops and disposes it with the app.
        builder.Services.AddSingleton(_ => server);
        builder.Services.AddHostedService<EmbeddedSandboxHost>();
        builder.Configuration.AddInMemoryCollection([
            new($"{BackendOptions.Section}:{nameof(BackendOptions.ServiceUrl)}", server.Url.ToString()),
        ]);
        // The sandbox seeds two demo accounts; with no accounts configured the dashboard reads both, as a real
        // organization would be read (Backend:SandboxDemoAccounts=false keeps the single account).
        var backend = builder.Configuration.GetSection(BackendOptions.Section).Get<BackendOptions>() ?? new BackendOptions();
        if (backend.SandboxDemoAccounts && !backend.MultiAccount && options.SeedDemoAccount && options.Accounts.Count == 0)
            builder.Configuration.AddInMemoryCollection(BackendOptions.SandboxDemoAccountSettings);
        return builder;
    }

    /// <summary>
    /// A bad Backend section stops the app here, before the sandbox starts: ValidateOnStart would find it only once the
    /// host starts, with a sandbox already listening that nothing then stops.
    /// </summary>
    private static void ThrowIfBackendInvalid(IConfiguration configuration)
    {
        var backend = configuration.GetSection(BackendOptions.Section).Get<BackendOptions>() ?? new BackendOptions();
        backend.ApplyDefaults();
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(backend, new(backend), results, validateAllProperties: true))
            throw new Microsoft.Extensions.Options.OptionsValidationException(BackendOptions.Section, typeof(BackendOptions),
                [.. results.Select(r => r.ErrorMessage ?? "Invalid.")]);
    }
}
