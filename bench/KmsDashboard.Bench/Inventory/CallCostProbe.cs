using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Bench.Inventory;

using InventorySnapshotKeys = IReadOnlyList<(string Region, string KeyId)>;

/// <summary>
/// Where a KMS call's CPU goes: the same DescribeKey made through the SDK, and as a bare HTTP request (the sandbox's
/// share alone, plus HttpClient), several at once, with CPU time and allocations per call.
/// </summary>
internal static class CallCostProbe
{
    public static async Task RunAsync(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, EnforceQuotas = false });
        using var clients = new AwsClients(Options.Create(new BackendOptions { Mode = BackendMode.Sandbox, Regions = ["eu-west-1"], ServiceUrl = server.Url.ToString() }));
        var kms = clients.Kms("eu-west-1");
        var keyId = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "probe" })).KeyMetadata.KeyId;

        await MeasureAsync("sdk_describe_key", calls, async () => await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }));
        await MeasureAsync("sdk_get_key_policy", calls, async () => await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyId, PolicyName = "default" }));

        using var http = new HttpClient { BaseAddress = server.Url };
        await MeasureAsync("raw_http_describe_key", calls, () => BareDescribeKeyAsync(http, "eu-west-1", keyId, CancellationToken.None));
    }

    /// <summary>
    /// <paramref name="calls"/> bare DescribeKey requests (no SDK, no signing: a fixed Authorization header) over the
    /// Regions' keys, 64 at a time, no latency added: what the sandbox and HttpClient alone need for that many calls.
    /// </summary>
    public static async Task<double> BareHttpSecondsAsync(Uri sandbox, InventorySnapshotKeys keys, int calls)
    {
        using var http = new HttpClient { BaseAddress = sandbox };
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            var (region, keyId) = keys[i % keys.Count];
            await BareDescribeKeyAsync(http, region, keyId, ct);
        });
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>DescribeKey as a bare HTTP request: the sandbox reads the Region from the credential scope and checks no signature.</summary>
    private static async Task BareDescribeKeyAsync(HttpClient http, string region, string keyId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIASANDBOXDASHBOARD/20261128/{region}/kms/aws4_request, SignedHeaders=host, Signature=0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "TrentService.DescribeKey");
        request.Content = new StringContent($"{{\"KeyId\":\"{keyId}\"}}");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"DescribeKey {keyId} in {region}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}", null, response.StatusCode);
    }

    private static async Task MeasureAsync(string name, int calls, Func<Task> call)
    {
        for (var i = 0; i < 500; i++) await call();
        using var ticks = Environment.GetEnvironmentVariable("BENCH_ALLOC_TYPES") is "1" ? new AllocationTicks() : null;
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, calls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) => await call());
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} calls={calls} seconds={seconds:F2} calls_per_second={calls / seconds:F0} cpu_us_per_call={(process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / calls:F0} allocated_kb_per_call={(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / calls:F1}"));
        ticks?.Print(calls);
    }
}

/// <summary>The runtime's allocation sampling (one event per ~100 KB allocated), summed by type: where the bytes go.</summary>
internal sealed class AllocationTicks : System.Diagnostics.Tracing.EventListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not { } n || !n.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames!.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, b) => b + amount);
    }

    public void Print(int calls)
    {
        foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(25))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {bytes / 1024.0 / calls,8:F2} KB/call  {type}"));
    }
}
