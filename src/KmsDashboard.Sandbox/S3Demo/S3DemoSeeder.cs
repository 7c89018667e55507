using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Sandbox.S3Demo;

/// <summary>
/// Seeds the demo buckets when the sandbox starts and again after each reset (after KMS and S3 have reset). The seed's
/// replications finish before the sandbox answers, so their KMS calls never land in the middle of a caller's reads.
/// </summary>
internal sealed class S3DemoSeeder(S3SandboxState s3, KmsSandboxState kms, SandboxOptions options) : IHostedService, ISandboxResettable
{
    private static readonly TimeSpan ReplicationWait = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken) => SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The reset contract is synchronous (the control endpoint answers once the sandbox is seeded again); the wait is the
    // seed's own replications with no added delay, bounded by ReplicationWait, on a thread with no synchronization context.
    public void Reset() => SeedAsync(CancellationToken.None).GetAwaiter().GetResult();

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!options.SeedDemoAccount || !options.SeedDemoBuckets) return;
        var delay = s3.ReplicationDelay;
        s3.ReplicationDelay = TimeSpan.Zero;
        try
        {
            if (options.AccountSeed == SandboxAccountSeed.Payments) S3PaymentsAccount.Seed(s3, kms, options.AccountId);
            else if (options.AccountSeed == SandboxAccountSeed.Demo) S3DemoAccount.Seed(s3, kms);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(ReplicationWait);
            try
            {
                await s3.WaitForReplicationAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow machine: the seed's replications finish in the background; the sandbox must start all the same.
            }
        }
        finally
        {
            s3.ReplicationDelay = delay;
        }
    }
}
