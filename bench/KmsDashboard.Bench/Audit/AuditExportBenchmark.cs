using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Bench.Audit;

/// <summary>
/// Exports N CloudTrail events spread over 4 Regions from the sandbox through the real client and audit service, and
/// prints <c>audit events= regions= seconds= bound_seconds= ratio_to_bound= peak_mb=</c>. The bound is CloudTrail's
/// pace: 2 requests/s × 50 events per Region, Regions in parallel. peak_mb is the export's live heap above the
/// baseline (the sandbox's own event store excluded), sampled during the run.
/// </summary>
internal static class AuditExportBenchmark
{
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];

    public static async Task RunAsync(string[] args)
    {
        var counts = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [20_000];
        foreach (var count in counts) await RunOnceAsync(count);
    }

    private static async Task RunOnceAsync(int events)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });
        var clock = server.Services.GetRequiredService<SandboxClock>();
        var log = server.Services.GetRequiredService<SandboxCallLog>();
        var now = clock.UtcNow;
        var span = TimeSpan.FromDays(10);
        for (var i = 0; i < events; i++)
        {
            var region = Regions[i % Regions.Length];
            var arn = $"arn:aws:kms:{region}:111122223333:key/mrk-0123456789abcdef0123456789abcdef";
            log.Publish(new SandboxCall
            {
                Time = now - span * ((double)i / events) - TimeSpan.FromSeconds(5), Region = region, Service = "kms",
                Operation = i % 5 == 0 ? "GenerateDataKey" : "Decrypt", RequestId = Guid.NewGuid().ToString(),
                AccessKeyId = DemoAccessKeys.OrderService, SourceIp = "10.0.1.20", UserAgent = "bench/1.0", ReadOnly = true,
                Resources = [arn],
            });
        }

        var clients = new AwsClients(Options.Create(new BackendOptions { Mode = BackendMode.Sandbox, Regions = Regions, ServiceUrl = server.Url.ToString() }));
        var inventory = new KeyInventory(clients, Options.Create(new InventoryOptions()), NullLogger<KeyInventory>.Instance);
        var authorization = new ServiceCollection().AddLogging().AddDashboardAuthorization().BuildServiceProvider().GetRequiredService<IAuthorizationService>();
        var audit = new AuditService(new CloudTrailClients(clients, new CloudTrailRateLimiter()), inventory, clients, authorization, NullLogger<AuditService>.Instance);
        var auditor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bench"), new Claim(ClaimTypes.Role, DashboardRoles.Auditor)], "bench"));
        var query = new AuditQuery { Regions = Regions, Start = now - span - TimeSpan.FromHours(1), End = now };

        var baseline = GC.GetTotalMemory(true);
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // Live heap, after a full collection: what the export holds, not the garbage a GC has yet to reclaim
                // (uncollected garbage grows with the run's length and says nothing about what is retained).
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                try { await Task.Delay(250, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var output = new CountingStream();
        var watch = Stopwatch.StartNew();
        var result = await audit.ExportAsync(query, auditor, AuditExportFormat.Csv, output, null, CancellationToken.None);
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        if (!result.Complete || result.Events != events)
            throw new InvalidOperationException($"The export wrote {result.Events} of {events} events (complete: {result.Complete}).");

        var perRegion = (int)Math.Ceiling(events / (double)Regions.Length);
        var bound = Math.Ceiling(perRegion / 50.0) / CloudTrailRateLimiter.RequestsPerSecond;
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audit events={result.Events} regions={Regions.Length} seconds={seconds:0.00} bound_seconds={bound:0.00} ratio_to_bound={seconds / bound:0.000} peak_mb={(peak - baseline) / 1048576.0:0.0} file_mb={output.Length / 1048576.0:0.0}"));
        clients.Dispose();
        inventory.Dispose();
    }

    /// <summary>Counts what the export writes, keeping none of it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
