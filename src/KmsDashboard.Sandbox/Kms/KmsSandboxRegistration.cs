using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>Registers the sandbox's KMS: the store, the wire service, quotas, the read-only view and the timeline.</summary>
public static class KmsSandboxRegistration
{
    public static IServiceCollection AddSandboxKms(this IServiceCollection services)
    {
        services.AddSingleton<KmsStore>();
        services.AddSingleton<KmsQuotas>();
        services.AddSingleton<ISandboxService, KmsService>();
        services.AddSingleton<ISandboxResettable>(sp => sp.GetRequiredService<KmsStore>());
        services.AddSingleton<ISandboxResettable>(sp => new QuotaReset(sp.GetRequiredService<KmsQuotas>()));
        services.AddSingleton(sp => new KmsSandboxState(sp.GetRequiredService<KmsStore>()));
        services.AddSingleton(sp => new KmsSandboxSeeder(sp.GetRequiredService<KmsStore>()));
        services.AddHostedService<KmsTimelineWorker>();
        return services;
    }

    private sealed class QuotaReset(KmsQuotas quotas) : ISandboxResettable
    {
        public void Reset() => quotas.Reset();
    }
}
