using System.Collections.Concurrent;
using System.Net.Http.Json;
using Amazon.Runtime;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// The sandbox the inventory benchmark runs against: in this process (the default), or a standalone sandbox elsewhere
/// (<c>BENCH_SANDBOX_URL</c>), e.g. on another machine so that its CPU is not the client's. Both turn quotas and latency
/// on and off and count the KMS calls made while counting is on.
/// </summary>
internal abstract class BenchSandbox : IAsyncDisposable
{
    public ConcurrentDictionary<(string Region, string Operation), int> Calls { get; } = new();
    private int _throttled;
    public int Throttled => _throttled;
    public volatile bool Counting;

    public abstract Uri Url { get; }
    public abstract bool InProcess { get; }
    public abstract Task SetQuotasAsync(bool enforce);
    public abstract Task SetLatencyAsync(IReadOnlyList<string> regions, TimeSpan latency);
    public abstract ValueTask DisposeAsync();

    /// <summary>Lets the counter see the calls of <paramref name="clients"/> (in process, the call log already sees everything).</summary>
    public virtual void Watch(AwsClients clients, IReadOnlyList<string> regions) { }

    protected void Count(string region, string operation, bool throttled)
    {
        if (!Counting) return;
        if (throttled) Interlocked.Increment(ref _throttled);
        else Calls.AddOrUpdate((region, operation), 1, (_, n) => n + 1);
    }

    public static async Task<BenchSandbox> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("BENCH_SANDBOX_URL") is { Length: > 0 } url)
            return new Remote(new Uri(url));
        return new InProcessSandbox(await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, EnforceQuotas = false }));
    }

    /// <summary>Counts from the sandbox's own call log: every call it served.</summary>
    private sealed class InProcessSandbox : BenchSandbox
    {
        private readonly SandboxServer _server;
        private readonly IDisposable _subscription;

        public InProcessSandbox(SandboxServer server)
        {
            _server = server;
            _subscription = server.Services.GetRequiredService<SandboxCallLog>().Subscribe(call =>
            {
                if (call.Service == "kms") Count(call.Region, call.Operation, call.ErrorCode == "ThrottlingException");
            });
        }

        public override Uri Url => _server.Url;
        public override bool InProcess => true;

        public override Task SetQuotasAsync(bool enforce)
        {
            _server.Services.GetRequiredService<SandboxOptions>().EnforceQuotas = enforce;
            return Task.CompletedTask;
        }

        public override Task SetLatencyAsync(IReadOnlyList<string> regions, TimeSpan latency)
        {
            _server.Services.GetRequiredService<SandboxFaults>().GlobalLatency = latency;
            return Task.CompletedTask;
        }

        public override async ValueTask DisposeAsync()
        {
            _subscription.Dispose();
            await _server.DisposeAsync();
        }
    }

    /// <summary>
    /// A standalone sandbox driven through /_sandbox; calls are counted by the SDK clients' response and exception
    /// events, since the sandbox's call log is in another process.
    /// </summary>
    private sealed class Remote(Uri url) : BenchSandbox
    {
        private readonly HttpClient _control = new() { BaseAddress = url };
        private readonly HashSet<AwsClients> _watched = [];

        public override Uri Url => url;
        public override bool InProcess => false;

        /// <summary>Makes the clients for <paramref name="regions"/> report their calls to the counter.</summary>
        public override void Watch(AwsClients clients, IReadOnlyList<string> regions)
        {
            if (!_watched.Add(clients)) return;
            foreach (var region in regions)
            {
                var client = (AmazonServiceClient)clients.Kms(region);
                client.AfterResponseEvent += (_, e) =>
                {
                    if (e is WebServiceResponseEventArgs w && w.Request is { } request) Count(region, OperationOf(request), throttled: false);
                };
                client.ExceptionEvent += (_, e) =>
                {
                    if (e is WebServiceExceptionEventArgs { Exception: AmazonServiceException { ErrorCode: "ThrottlingException" } } x && x.Request is { } request)
                        Count(region, OperationOf(request), throttled: true);
                };
            }
        }

        private static string OperationOf(AmazonWebServiceRequest request) =>
            request.GetType().Name is var name && name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : request.GetType().Name;

        public override async Task SetQuotasAsync(bool enforce)
        {
            using var response = await _control.PutAsJsonAsync("/_sandbox/quotas", new { enforce });
            response.EnsureSuccessStatusCode();
        }

        public override async Task SetLatencyAsync(IReadOnlyList<string> regions, TimeSpan latency)
        {
            foreach (var region in regions)
            {
                using var response = await _control.PutAsJsonAsync($"/_sandbox/faults/{region}", new { latencyMs = latency.TotalMilliseconds });
                response.EnsureSuccessStatusCode();
            }
        }

        public override ValueTask DisposeAsync()
        {
            _control.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
