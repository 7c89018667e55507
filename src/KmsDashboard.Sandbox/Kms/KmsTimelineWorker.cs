using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>Runs due KMS work periodically, so replicas finish Creating and deletions happen without any call.</summary>
internal sealed class KmsTimelineWorker(KmsStore store) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.Options.TimelineCheckInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(store.Options.TimelineCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken)) store.RunDue();
    }
}
