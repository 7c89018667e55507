using System.Collections.Concurrent;
using System.Net.Http.Json;
using Amazon.Runtime;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Accounts;
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

    /// <summary>With <c>accounts=n</c>: per member account, when (Stopwatch timestamp) its first and latest KMS call of the counted span came.</summary>
    public ConcurrentDictionary<string, (long First, long Last)> AccountSpans { get; } = new(StringComparer.Ordinal);

    /// <summary>The member accounts the benchmark seeds and reads (empty: the single-account benchmark).</summary>
    public IReadOnlyList<string> MemberAccounts { get; protected init; } = [];

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

    /// <summary>
    /// Starts (or connects to) the sandbox. With <paramref name="memberAccounts"/> &gt; 0 the in-process sandbox is an
    /// organization: an empty management account (the benchmark's caller) and that many empty member accounts, each with
    /// the role KmsDashboard (external id kmsdash-demo); calls are counted per account and Region.
    /// </summary>
    public static async Task<BenchSandbox> StartAsync(int memberAccounts = 0)
    {
        if (Environment.GetEnvironmentVariable("BENCH_SANDBOX_URL") is { Length: > 0 } url)
        {
            if (memberAccounts > 0) throw new InvalidOperationException("accounts=<n> runs against the in-process sandbox only; unset BENCH_SANDBOX_URL.");
            return new Remote(new Uri(url));
        }
        if (memberAccounts == 0)
            return new InProcessSandbox(await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, EnforceQuotas = false }), []);
        string[] members = [.. Enumerable.Range(1, memberAccounts).Select(i => (200000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var options = new SandboxOptions
        {
            SeedDemoAccount = false,
            EnforceQuotas = false,
            Accounts =
            [
                new() { Id = ManagementAccount, Name = "bench-management", Seed = SandboxAccountSeed.Empty },
                .. members.Select(id => new SandboxAccountOptions { Id = id, Name = $"bench-{id[^2..]}", Seed = SandboxAccountSeed.Empty }),
            ],
        };
        return new InProcessSandbox(await SandboxServer.StartAsync(options), members);
    }

    public const string ManagementAccount = "111122223333";

    /// <summary>Counts from the sandbox's own call log: every call it served.</summary>
    private sealed class InProcessSandbox : BenchSandbox
    {
        private readonly SandboxServer _server;
        private readonly IDisposable _subscription;

        private readonly List<IDisposable> _members = [];

        public InProcessSandbox(SandboxServer server, IReadOnlyList<string> members)
        {
            _server = server;
            MemberAccounts = members;
            _subscription = server.Services.GetRequiredService<SandboxCallLog>().Subscribe(call =>
            {
                if (call.Service == "kms") Count(call.Region, call.Operation, call.ErrorCode == "ThrottlingException");
            });
            // Each member account has its own call log; its calls count per account and Region ("account/Region"), which is
            // also how AWS applies the quotas.
            var accounts = server.Services.GetRequiredService<SandboxAccounts>();
            foreach (var id in members)
                _members.Add(accounts.ServicesOf(id).GetRequiredService<SandboxCallLog>().Subscribe(call =>
                {
                    if (call.Service != "kms") return;
                    Count($"{id}/{call.Region}", call.Operation, call.ErrorCode == "ThrottlingException");
                    if (!Counting) return;
                    var now = System.Diagnostics.Stopwatch.GetTimestamp();
                    AccountSpans.AddOrUpdate(id, (now, now), (_, s) => (Math.Min(s.First, now), Math.Max(s.Last, now)));
                }));
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
            foreach (var m in _members) m.Dispose();
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
