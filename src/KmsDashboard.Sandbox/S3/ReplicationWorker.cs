using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Sandbox.S3;

/// <summary>Replicates queued object versions once their delay has passed, one at a time, in the order they were written.</summary>
internal sealed class ReplicationWorker(S3Store store) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var task in store.ReplicationQueue.ReadAllAsync(stoppingToken))
        {
            var wait = task.DueAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stoppingToken);
            store.Replicate(task);
        }
    }
}
