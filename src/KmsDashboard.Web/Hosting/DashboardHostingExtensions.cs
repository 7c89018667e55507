using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Storage;
using KmsDashboard.Web.Features.Regions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Web.Hosting;

/// <summary>The dashboard's own services: validated options, the AWS client layer, Region health, backend identity.</summary>
public static class DashboardHostingExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.AddEnvironmentSettingsFromOutput();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section)
            .PostConfigure(o => o.ApplyDefaults())
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RegionHealthOptions>().BindConfiguration(RegionHealthOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();

        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.DataDirectory)) return;
                o.DataDirectory = Path.GetFullPath(o.DataDirectory, contentRoot);
                Directory.CreateDirectory(o.DataDirectory);
            })
            .ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddSingleton<AwsClients>();
        builder.Services.AddSingleton<KmsDashboard.Core.Aws.Accounts.AwsAccounts>();
        builder.Services.AddSingleton<BackendIdentity>();
        builder.Services.AddSingleton<RegionHealth>();
        builder.Services.AddHostedService<RegionHealthMonitor>();
        builder.Services.AddSingleton<SandboxControls>();
        builder.Services.AddInventory();

        builder.Services.AddHealthChecks();
        return builder;
    }
}
