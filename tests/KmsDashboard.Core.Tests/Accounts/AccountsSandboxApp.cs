using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// The embedded sandbox with both demo accounts, and dashboard service providers configured to read them (and an
/// account whose role cannot be assumed) through the role "KmsDashboard": the usage, findings and audit tests share it.
/// </summary>
public sealed class AccountsSandboxApp : IAsyncDisposable
{
    public const string SecurityAccount = "111122223333", Payments = "444455556666", Unknown = "777788889999";
    public static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];
    public static readonly string[] PaymentsRegions = ["us-east-1", "eu-west-1", "ap-southeast-1"];

    private readonly List<ServiceProvider> _apps = [];
    private readonly List<string> _directories = [];

    private AccountsSandboxApp(SandboxServer server) => Server = server;

    public SandboxServer Server { get; }

    public static async Task<AccountsSandboxApp> StartAsync() =>
        new(await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false }));

    /// <summary>A provider reading the given accounts (<see cref="Account"/>), with the services <paramref name="add"/> registers.</summary>
    public ServiceProvider App(Dictionary<string, string?> accounts, Action<IServiceCollection, string> add)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kmsdashboard-accounts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        _directories.Add(dataDirectory);
        var values = new Dictionary<string, string?>(accounts)
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = Server.Url.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
            ["Inventory:ReadLastUse"] = "false",
        };
        for (var i = 0; i < Regions.Length; i++) values[$"Backend:Regions:{i}"] = Regions[i];
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        add(services, dataDirectory);
        var app = services.BuildServiceProvider();
        _apps.Add(app);
        return app;
    }

    public static Dictionary<string, string?> Account(int index, string id, string name, string[]? regions = null)
    {
        var values = new Dictionary<string, string?>
        {
            [$"Backend:Accounts:{index}:Id"] = id,
            [$"Backend:Accounts:{index}:Name"] = name,
            [$"Backend:Accounts:{index}:RoleName"] = "KmsDashboard",
            [$"Backend:Accounts:{index}:ExternalId"] = "kmsdash-demo",
        };
        for (var i = 0; i < (regions ?? []).Length; i++) values[$"Backend:Accounts:{index}:Regions:{i}"] = regions![i];
        return values;
    }

    /// <summary>Both demo accounts (payments in its three Regions), and with <paramref name="withUnknown"/> one whose role cannot be assumed.</summary>
    public static Dictionary<string, string?> DemoAccounts(bool withUnknown)
    {
        var parts = new List<Dictionary<string, string?>> { Account(0, SecurityAccount, "demo-security"), Account(1, Payments, "demo-payments", PaymentsRegions) };
        if (withUnknown) parts.Add(Account(2, Unknown, "demo-gone"));
        return parts.SelectMany(p => p).ToDictionary(p => p.Key, p => p.Value);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var directory in _directories)
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
