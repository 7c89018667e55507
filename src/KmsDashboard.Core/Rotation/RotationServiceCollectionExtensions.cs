using KmsDashboard.Core.Rotation.NewKeySet;
using KmsDashboard.Core.Runbooks;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Rotation;

public static class RotationServiceCollectionExtensions
{
    /// <summary>
    /// The rotation wizards' services and the "New key set" runbook definition. Needs the key actions, the inventory and,
    /// for the runbook, <see cref="RunbookServiceCollectionExtensions.AddRunbooks"/>.
    /// </summary>
    public static IServiceCollection AddRotationWizards(this IServiceCollection services)
    {
        services.AddSingleton<AutomaticRotationService>();
        services.AddSingleton<OnDemandRotationService>();
        services.AddOptions<NewKeySetOptions>().BindConfiguration(NewKeySetOptions.Section);
        services.AddSingleton<NewKeySetDefinition>();
        services.AddSingleton<RunbookDefinition>(sp => sp.GetRequiredService<NewKeySetDefinition>());
        return services;
    }
}
