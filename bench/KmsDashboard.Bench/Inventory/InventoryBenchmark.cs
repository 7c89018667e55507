using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Accounts;
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

    /// <summary>Regions per account with accounts=n (the issue's 5 accounts × 6 Regions × 300 keys).</summary>
    private const int AccountRegions = 6;

    public static async Task RunAsync(string[] args)
    {
        // accounts=<n>: n member accounts × 6 Regions, read through assumed roles; without it, one account × 17 Regions.
        var accountsArg = args.FirstOrDefault(a => a.StartsWith("accounts=", StringComparison.Ordinal));
        var accountCount = 0;
        if (accountsArg is not null && (!int.TryParse(accountsArg["accounts=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out accountCount) || accountCount is < 1 or > 50))
            throw new ArgumentException($"'{accountsArg}': accounts= takes a number of accounts from 1 to 50.");
        args = [.. args.Where(a => a != accountsArg)];
        var keysPerRegion = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        if (args.Length > 1) Latency = TimeSpan.FromMilliseconds(int.Parse(args[1], CultureInfo.InvariantCulture));
        string[] regions = accountCount > 0 ? BenchEstate.Regions[..AccountRegions] : BenchEstate.Regions;
        await using var sandbox = await BenchSandbox.StartAsync(accountCount);
        // The dashboard's accounts: the members, each through the role KmsDashboard with its external id, as
        // Backend:Accounts configures them. The home clients are the management account's (the caller).
        var backend = new BackendOptions
        {
            Mode = BackendMode.Sandbox, Regions = regions, ServiceUrl = sandbox.Url.ToString(),
            Accounts = [.. sandbox.MemberAccounts.Select(id => new AccountOptions { Id = id, Name = $"bench-{id[^2..]}", RoleName = SandboxAccounts.DashboardRole, ExternalId = SandboxAccounts.DashboardExternalId })],
        };
        using var clients = new AwsClients(Options.Create(backend));
        using var accounts = new AwsAccounts(clients);
        var members = accounts.MultiAccount ? accounts.Configured : [];
        sandbox.Watch(clients, regions);
        if (!sandbox.InProcess) Console.Error.WriteLine($"against the sandbox at {sandbox.Url} (BENCH_SANDBOX_URL); CPU figures are this process's only");

        await sandbox.SetQuotasAsync(false);
        var seed = Stopwatch.StartNew();
        if (members.Count == 0) await BenchEstate.SeedAsync(clients, regions, keysPerRegion);
        else await Task.WhenAll(members.Select(a => BenchEstate.SeedAsync(accounts.Clients(a), regions, keysPerRegion))); // through each account's assumed role
        Console.Error.WriteLine($"seeded {Math.Max(1, members.Count)} account(s) × {regions.Length} Regions × {keysPerRegion} keys in {seed.Elapsed.TotalSeconds:F1} s");

        // Warm up (JIT, connection pools) on a small read, then measure with quotas and latency on.
        var options = new InventoryOptions { ReadLastUse = false, RegionTimeout = TimeSpan.FromMinutes(30) };
        using (var warm = new KeyInventory(clients, Options.Create(options), NullLogger<KeyInventory>.Instance, accounts: accounts))
            await warm.RefreshAsync(CancellationToken.None);
        await sandbox.SetQuotasAsync(true);
        await sandbox.SetLatencyAsync(regions, Latency);
        await Task.Delay(1000); // let the quota buckets fill after the warm-up
        using var inventory = new KeyInventory(clients, Options.Create(options), NullLogger<KeyInventory>.Instance, accounts: accounts);
        sandbox.AccountSpans.Clear();
        sandbox.Counting = true;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var clock = Stopwatch.StartNew();
        var startedAt = Stopwatch.GetTimestamp();
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
        foreach (var a in snapshot.Accounts.Where(a => a.Error is not null)) Console.Error.WriteLine($"warning: account {a.Label} failed: {a.Error}");

        var callCount = calls.Values.Sum();
        var bound = LowerBound(calls, Latency);

        await Task.Delay(1000); // the quota buckets fill again
        var replay = members.Count == 0
            ? await AggressiveReplay.RunAsync(clients, snapshot)
            : await AggressiveReplay.RunAsync([.. members.Select(accounts.Clients)], regions);
        // The bare HTTP probe measures what the sandbox and HttpClient alone need for the refresh's number of calls: no
        // latency and no quotas. It sends them all to a few keys of one account (unsigned requests are the management
        // account's), so with quotas on it would exceed DescribeKey's 2,000/s per account and Region and be throttled:
        // at accounts=5 × 300 keys, 90,000 calls on 6 Regions is 15,000 a Region (ThrottlingException, a 400).
        await sandbox.SetLatencyAsync(regions, TimeSpan.Zero);
        await sandbox.SetQuotasAsync(false);
        // With accounts=n they describe one key per Region made in the management account for the purpose (the member
        // accounts' keys are not visible to it).
        List<(string Region, string KeyId)> probeKeys = members.Count == 0
            ? [.. snapshot.AllKeys.Where((_, i) => i % 50 == 0).Select(k => (k.Region, k.KeyId))]
            : [.. await Task.WhenAll(regions.Select(async r => (r, (await clients.Kms(r).CreateKeyAsync(new CreateKeyRequest { Description = "bench bare HTTP probe" })).KeyMetadata.KeyId)))];
        var bareHttp = double.NaN;
        try { bareHttp = await CallCostProbe.BareHttpSecondsAsync(sandbox.Url, probeKeys, calls.Values.Sum()); }
        catch (HttpRequestException ex)
        {
            // Reported, and the figure left out rather than made up; the lines above are still printed.
            Console.Error.WriteLine($"bare HTTP probe failed ({ex.Message}); bare_http_seconds=NaN");
        }
        await sandbox.SetQuotasAsync(true);
        await sandbox.SetLatencyAsync(regions, Latency);
        var naive = await NaiveSecondsAsync(members.Count == 0 ? clients : accounts.Clients(members[0]), regions, snapshot, calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inventory keys={snapshot.KeyCount} regions={regions.Length} calls={callCount} seconds={seconds:F2} bound_seconds={bound:F2} ratio_to_bound={seconds / bound:F2} naive_seconds={naive:F1} speedup_vs_naive={naive / seconds:F1}"));
        // Where the time goes on this machine: the refresh's own CPU spread perfectly over every core is a time no
        // schedule of the same calls could beat; the aggressive replay is a plain SDK client making the same calls.
        var cpuBound = cpu / Environment.ProcessorCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inventory_cpu cores={Environment.ProcessorCount} cpu_seconds={cpu:F2} cpu_us_per_call={cpu * 1e6 / callCount:F0} cpu_bound_seconds={cpuBound:F2} ratio_to_cpu_bound={seconds / Math.Max(bound, cpuBound):F2} replay_seconds={replay.Seconds:F2} replay_cpu_us_per_call={replay.CpuSeconds * 1e6 / replay.Calls:F0} ratio_to_replay={seconds / replay.Seconds:F2} bare_http_seconds={bareHttp:F2}"));
        if (members.Count > 0)
        {
            // Accounts in parallel: each account's span (refresh start to its last KMS call) against the wall time. Read one
            // after another, the wall time would be the sum of the spans; read together, it is about the longest.
            // after_last_call_s: from the last KMS call of any account to the refresh's end (publishing what was read).
            double SecondsTo(long t) => Stopwatch.GetElapsedTime(startedAt, t).TotalSeconds;
            var spans = members.Select(a => sandbox.AccountSpans.TryGetValue(a.Id, out var s) ? (First: SecondsTo(s.First), Last: SecondsTo(s.Last)) : (First: double.NaN, Last: double.NaN)).ToList();
            var sum = spans.Sum(s => s.Last);
            var keysPerAccount = members.Select(a => snapshot.AllKeys.Count(k => k.Account == a.Id)).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"inventory_accounts accounts={members.Count} regions_per_account={regions.Length} keys={snapshot.KeyCount} calls={callCount} aws_calls_per_key={(double)callCount / snapshot.KeyCount:F3} wall_seconds={seconds:F2} sum_account_seconds={sum:F2} max_account_seconds={spans.Max(s => s.Last):F2} sum_over_wall={sum / seconds:F2} last_account_first_call_s={spans.Max(s => s.First):F2} after_last_call_s={seconds - spans.Max(s => s.Last):F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"inventory_accounts_detail account_seconds={string.Join(',', spans.Select(s => s.Last.ToString("F2", CultureInfo.InvariantCulture)))} keys_per_account={string.Join(',', keysPerAccount)} key_sets_spanning_accounts={snapshot.AllKeys.Where(k => k.IsMultiRegion).GroupBy(k => k.KeyId).Count(g => g.Select(k => k.Account).Distinct().Count() > 1)}"));
        }
        Console.Error.WriteLine($"(throttled calls during the measured refresh: {throttled})");
        // What one publish costs: a whole snapshot (key sets, drift, sorted lists) built over every key read, median of 3.
        var builds = Enumerable.Range(0, 3).Select(_ =>
        {
            var build = Stopwatch.StartNew();
            InventorySnapshot.Create(snapshot.Regions, snapshot.KeysByRegion, snapshot.RegionStatus, snapshot.ReadAt, snapshot.MultiAccount ? snapshot.Accounts : null);
            return build.Elapsed.TotalMilliseconds;
        }).Order().ToList();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(one snapshot build over {snapshot.KeyCount} keys: {builds[1]:F0} ms)"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"(refresh: allocated_kb_per_call={allocated / 1024.0 / callCount:F1} gc0={GC.CollectionCount(0) - gcBefore[0]} gc1={GC.CollectionCount(1) - gcBefore[1]} gc2={GC.CollectionCount(2) - gcBefore[2]} server_gc={System.Runtime.GCSettings.IsServerGC})"));
        if (members.Count > 0) return; // the snapshot memory and key map figures do not depend on accounts

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
