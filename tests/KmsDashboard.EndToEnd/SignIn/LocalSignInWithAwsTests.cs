using System.Collections.Concurrent;
using System.Net;
using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// The local sign-in (anyone picks their own roles) against AWS: refused at start, whatever the environment's name,
/// unless Authentication:Local:AllowWithAws=true, which warns at start and shows a red banner on every page.
/// The "AWS" here is a standalone sandbox reached as Backend:Mode=Aws with Backend:ServiceUrl.
/// </summary>
public sealed class LocalSignInWithAwsTests : IAsyncLifetime
{
    private SandboxServer _aws = default!;

    public async Task InitializeAsync()
    {
        // Backend:Mode=Aws resolves credentials from the SDK's default chain; any will do for the sandbox (as MotoServer does).
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        _aws = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private Dictionary<string, string?> Aws(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Aws",
            ["Backend:ServiceUrl"] = _aws.Url.ToString(),
            ["Backend:Regions:0"] = "us-east-1",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task TheDevelopmentEnvironmentAloneNoLongerTurnsItOnAgainstAws()
    {
        // DashboardAppFactory runs in Development: before, that alone gave Backend:Mode=Aws a pick-your-roles sign-in.
        await using var factory = new DashboardAppFactory(Aws());

        var failure = Record.Exception(() => factory.Start());

        Assert.NotNull(failure);
        Assert.Contains("No sign-in is configured for Backend:Mode=Aws", failure.ToString());
        Assert.Contains("Authentication:Local:AllowWithAws", failure.ToString());
    }

    [Fact]
    public async Task EnabledTrueIsRefusedAgainstAwsWithoutAllowWithAws()
    {
        await using var factory = new DashboardAppFactory(Aws(("Authentication:Local:Enabled", "true")));

        var failure = Record.Exception(() => factory.Start());

        Assert.NotNull(failure);
        Assert.Contains("Authentication:Local:Enabled=true is refused with Backend:Mode=Aws", failure.ToString());
    }

    [Fact]
    public async Task AllowWithAwsWarnsAtStartAndShowsARedBannerOnEveryPage()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new DashboardAppFactory(Aws(("Authentication:Local:AllowWithAws", "true")));
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var signIn = await http.GetAsync("/signin");
        var html = await signIn.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("id=\"local-signin-form\"", html);
        Assert.Contains("id=\"local-with-aws-banner\"", html);
        Assert.Contains("mud-alert-filled-error", html);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Local sign-in is ON against AWS"));
    }

    [Fact]
    public async Task TheSandboxBackendKeepsTheLocalSignInWithoutABanner()
    {
        await using var factory = new DashboardAppFactory();
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var html = await http.GetStringAsync("/signin");

        Assert.Contains("id=\"local-signin-form\"", html);
        Assert.DoesNotContain("local-with-aws-banner", html);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
