using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Rotation;

public static class RotationServiceCollectionExtensions
{
    /// <summary>The rotation wizards' services. Needs <see cref="Actions.ActionsServiceCollectionExtensions.AddKeyActions"/> and the inventory.</summary>
    public static IServiceCollection AddRotationWizards(this IServiceCollection services)
    {
        services.AddSingleton<AutomaticRotationService>();
        services.AddSingleton<OnDemandRotationService>();
        return services;
    }
}
