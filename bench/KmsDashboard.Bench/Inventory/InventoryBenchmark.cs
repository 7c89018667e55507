using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// The inventory refresh against the sandbox: 17 Regions × 300 keys, 60 ms added to every call, quotas enforced.
/// Prints the line issue 3 specifies, then the snapshot memory and key map render figures.
/// </summary>
internal static class InventoryBenchmark
{
    private static TimeSpan Latency = TimeSpan.FromMilliseconds(60);

    public static async Task RunAsync(string[] args)
    {
        var keysPerRegion = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        if (args.Length > 1) Latency = TimeSpan.FromMilliseconds(int.Parse(args[1], CultureInfo.InvariantCulture));
        var regions = BenchEstate.Regions;
        await using var sandbox = await BenchSandbox.StartAsync();
        using var clients = new AwsClients(Options.Create(new BackendOptions { Mode = BackendMode.Sandbox, Regions = regions, ServiceUrl = sandbox.Url.ToString() }));
        sandbox.Watch(clients, regions);
        if (!sandbox.InProcess) Console.Error.WriteLine($"against the sandbox at {sandbox.Url} (BENCH_SANDBOX_URL); CPU figures are this process's only");

        await sandbox.SetQuotasAsync(false);
        var seed = Stopwatch.StartNew();
        await BenchEstate.SeedAsync(clients, regions, keysPerRegion);
        Console.Error.WriteLine($"seeded {regions.Length} Regions × {keysPerRegion} keys in {seed.Elapsed.TotalSeconds:F1} s");

        // Warm up (JIT, connection pools) on a small read, then measure with quotas and latency on.
        var options = new InventoryOptions { ReadLastUse = false, RegionTimeout = TimeSpan.FromMinutes(30) };
        using (var warm = new KeyInventory(clients, Options.Create(options), NullLogger<KeyInventory>.Instance))
            await warm.RefreshAsync(CancellationToken.None);
        await sandbox.SetQuotasAsync(true);
        await sandbox.SetLatencyAsync(regions, Latency);
        await Task.Delay(1000); // let the quota buckets fill after the warm-up
        using var inventory = new KeyInventory(clients, Options.Create(options), NullLogger<KeyInventory>.Instance);
        sandbox.Counting = true;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var clock = Stopwatch.StartNew();
        await inventory.RefreshAsync(CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        sandbox.Counting = false;
        var calls = sandbox.Calls;
        var throttled = sandbox.Throttled;
        var snapshot = inventory.Current;
        var failed = snapshot.Regions.Where(r => !snapshot.StatusOf(r).Healthy).ToList();
        if (failed.Count > 0) Console.Error.WriteLine($"warning: Regions failed: {string.Join(", ", failed.Select(r => $"{r} ({snapshot.StatusOf(r).Error})"))}");

        var callCount = calls.Values.Sum();
        var bound = LowerBound(calls, Latency);

        await Task.Delay(1000); // the quota buckets fill again
        var replay = await AggressiveReplay.RunAsync(clients, snapshot);
        await sandbox.SetLatencyAsync(regions, TimeSpan.Zero);
        var bareHttp = await CallCostProbe.BareHttpSecondsAsync(sandbox.Url,
            [.. snapshot.AllKeys.Where((_, i) => i % 50 == 0).Select(k => (k.Region, k.KeyId))], calls.Values.Sum());
        await sandbox.SetLatencyAsync(regions, Latency);
        var naive = await NaiveSecondsAsync(clients, regions, snapshot, calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inventory keys={snapshot.KeyCount} regions={regions.Length} calls={callCount} seconds={seconds:F2} bound_seconds={bound:F2} ratio_to_bound={seconds / bound:F2} naive_seconds={naive:F1} speedup_vs_naive={naive / seconds:F1}"));
        // Where the time goes on this machine: the refresh's own CPU spread perfectly over every core is a time no
        // schedule of the same calls could beat; the aggressive replay is a plain SDK client making the same calls.
        var cpuBound = cpu / Environment.ProcessorCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inventory_cpu cores={Environment.ProcessorCount} cpu_seconds={cpu:F2} cpu_us_per_call={cpu * 1e6 / callCount:F0} cpu_bound_seconds={cpuBound:F2} ratio_to_cpu_bound={seconds / Math.Max(bound, cpuBound):F2} replay_seconds={replay.Seconds:F2} replay_cpu_us_per_call={replay.CpuSeconds * 1e6 / replay.Calls:F0} ratio_to_replay={seconds / replay.Seconds:F2} bare_http_seconds={bareHttp:F2}"));
        Console.Error.WriteLine($"(throttled calls during the measured refresh: {throttled})");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(refresh: allocated_kb_per_call={allocated / 1024.0 / callCount:F1} gc0={GC.CollectionCount(0) - gcBefore[0]} gc1={GC.CollectionCount(1) - gcBefore[1]} gc2={GC.CollectionCount(2) - gcBefore[2]} server_gc={System.Runtime.GCSettings.IsServerGC})"));

        var (megabytes, keys) = SnapshotMemory.Measure(10_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inventory_snapshot keys={keys} managed_mb={megabytes:F1}"));
        var render = KeyMapRenderTiming.Measure(10_000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"keymap keys=10000 rows={render.Rows} rows_build_filter_sort_ms={render.RowsMs:F0} render_ms={render.RenderMs:F0} rows_rendered={render.RowsRendered}"));
    }

    /// <summary>
    /// The time no client could beat: per Region, the calls that must follow one another (list pages, then DescribeKey, then
    /// the per-key reads) each cost one latency, and each operation's calls beyond one second's quota (the sandbox's burst)
    /// need calls/quota seconds. The slowest Region bounds the whole.
    /// </summary>
    private static double LowerBound(ConcurrentDictionary<(string Region, string Operation), int> calls, TimeSpan latency)
    {
        return calls.GroupBy(c => c.Key.Region).Max(region =>
        {
            int Count(string op) => region.Where(c => c.Key.Operation == op).Sum(c => c.Value);
            var listChain = Math.Max(Count(KmsRequestQuotas.ListKeys), Count(KmsRequestQuotas.ListAliases));
            var chain = (listChain + 2) * latency.TotalSeconds;
            var rate = region.Max(c => Math.Max(0, c.Value - KmsRequestQuotas.For(c.Key.Operation)) / KmsRequestQuotas.For(c.Key.Operation));
            return chain + rate;
        });
    }

    /// <summary>
    /// A plain sequential script (list, then describe, policy, tags and rotation key by key) timed on a subset of keys and
    /// scaled to the calls the whole estate needs.
    /// </summary>
    private static async Task<double> NaiveSecondsAsync(AwsClients clients, IReadOnlyList<string> regions, InventorySnapshot snapshot,
        ConcurrentDictionary<(string Region, string Operation), int> calls)
    {
        var region = regions[0];
        var kms = clients.Kms(region);
        var made = 0;
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Marker = marker }); made++;
            ids.AddRange(page.Keys.Select(k => k.KeyId));
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        marker = null;
        do
        {
            var page = await kms.ListAliasesAsync(new ListAliasesRequest { Marker = marker }); made++;
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        foreach (var id in ids.Take(40))
        {
            var meta = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = id })).KeyMetadata; made++;
            await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = id, PolicyName = "default" }); made++;
            await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = id }); made++;
            if (meta.KeySpec == "SYMMETRIC_DEFAULT") { await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = id }); made++; }
        }
        var perCall = clock.Elapsed.TotalSeconds / made;
        Console.Error.WriteLine($"naive: {made} sequential calls in {clock.Elapsed.TotalSeconds:F1} s ({perCall * 1000:F0} ms a call), scaled to {calls.Values.Sum()} calls");
        return perCall * calls.Values.Sum();
    }
}
