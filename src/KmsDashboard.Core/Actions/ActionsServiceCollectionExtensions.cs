using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Actions;

public static class ActionsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="KeyOperations"/>, the <c>Safety</c> options and the action journal. Needs the AWS clients, the
    /// inventory and the dashboard policies (<see cref="DashboardAuthorizationExtensions.AddDashboardAuthorization"/>).
    /// </summary>
    public static IServiceCollection AddKeyActions(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<SafetyOptions>().BindConfiguration(SafetyOptions.Section)
            .Validate(o => o.ApprovalTtlMinutes is >= SafetyOptions.MinApprovalTtlMinutes and <= SafetyOptions.MaxApprovalTtlMinutes,
                $"{SafetyOptions.Section}:ApprovalTtlMinutes must be between {SafetyOptions.MinApprovalTtlMinutes} and {SafetyOptions.MaxApprovalTtlMinutes} (minutes).")
            .ValidateOnStart();
        services.AddOptions<ActionExecutionOptions>().BindConfiguration(ActionExecutionOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddActionJournal(contentRoot);
        services.TryAddSingleton(sp => new KeyActionCatalog(sp.GetServices<KeyAction>()));
        services.AddSingleton<KeyOperations>();
        services.AddSingleton<JournalReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<JournalReconciler>());
        return services;
    }

    /// <summary>
    /// Registers one more key action (Core's own are discovered): the guarded path plans it, and the action bar and the
    /// dialog offer it.
    /// </summary>
    public static IServiceCollection AddKeyAction<TAction>(this IServiceCollection services) where TAction : KeyAction, new()
    {
        services.AddSingleton<KeyAction>(KeyAction.Of<TAction>());
        return services;
    }
}
