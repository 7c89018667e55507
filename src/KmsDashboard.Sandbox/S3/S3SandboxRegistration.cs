using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Sandbox.S3;

/// <summary>Registers the sandbox's S3: the store, the wire service (<c>s3</c>), the state API, the replication worker.</summary>
public static class S3SandboxRegistration
{
    public static IServiceCollection AddSandboxS3(this IServiceCollection services)
    {
        services.TryAddSingleton<KmsOnBehalf>();
        services.AddSingleton<ObjectSealer>();
        services.AddSingleton<S3Store>();
        services.AddSingleton<ISandboxService, S3Service>();
        services.AddSingleton<ISandboxResettable>(sp => sp.GetRequiredService<S3Store>());
        services.AddSingleton(sp => new S3SandboxState(sp.GetRequiredService<S3Store>()));
        services.AddHostedService<ReplicationWorker>();
        return services;
    }
}
