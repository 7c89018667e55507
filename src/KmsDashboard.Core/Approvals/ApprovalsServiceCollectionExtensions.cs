using KmsDashboard.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Approvals;

public static class ApprovalsServiceCollectionExtensions
{
    /// <summary>
    /// The two-person rule: <see cref="ApprovalService"/> and its store (<see cref="DashboardStoreServiceCollectionExtensions.AddDashboardStore"/>: <c>approvals.db</c> or
    /// PostgreSQL, migrated at start), and a sweep that expires requests past <c>Safety:ApprovalTtlMinutes</c>. Needs the key actions (and runbooks,
    /// when registered, for steps 8–9).
    /// </summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services, string contentRoot)
    {
        services.AddDashboardStore<ApprovalDbContext>(ApprovalDbContext.StoreName, contentRoot);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<ApprovalService>();
        services.AddHostedService<ApprovalExpirySweep>();
        return services;
    }

    /// <summary>Creates the store at start, counts what is pending, then expires due requests every half minute.</summary>
    private sealed class ApprovalExpirySweep(ApprovalStore store, ApprovalService approvals, ILogger<ApprovalExpirySweep> logger) : BackgroundService
    {
        public override async Task StartAsync(CancellationToken cancellationToken)
        {
            await store.EnsureCreatedAsync(cancellationToken);
            logger.LogInformation("Two-person rule (Safety:RequireApproval) is {State}; requests expire after {Minutes} minutes",
                approvals.IsOn ? "on" : "off", (int)approvals.Lifetime.TotalMinutes);
            await base.StartAsync(cancellationToken);
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
            do
            {
                try
                {
                    await approvals.ExpireDueAsync(stoppingToken);
                    if (approvals.PendingCount < 0) await approvals.RecountAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Expiring approval requests failed; trying again shortly");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
    }
}
