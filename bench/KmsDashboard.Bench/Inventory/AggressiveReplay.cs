using System.Diagnostics;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// The fastest plain SDK client we can write for the same reads: no inventory logic, no snapshot, nothing kept. Per
/// Region it lists keys and aliases, then describes every key and reads policy, tags and rotation, with up to
/// <see cref="InFlightPerRegion"/> calls under way (four times the inventory's default) and each operation paced at 100%
/// of its quota (the inventory leaves 10% to other tools). What it takes on this machine is a floor set by the SDK, the
/// sandbox and the cores, which the bound (latency and quotas only) does not see.
/// </summary>
internal static class AggressiveReplay
{
    public const int InFlightPerRegion = 256;

    public sealed record Result(double Seconds, int Calls, double CpuSeconds);

    public static Task<Result> RunAsync(AwsClients clients, InventorySnapshot snapshot) => RunAsync([clients], snapshot.Regions);

    /// <summary>
    /// The same reads in every account at once (each account's clients, each of its Regions in parallel), as a plain
    /// client reading several accounts would; quotas are per account and Region, so each gets its own pacers.
    /// </summary>
    public static async Task<Result> RunAsync(IReadOnlyList<AwsClients> accounts, IReadOnlyList<string> regions)
    {
        var calls = 0;
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(accounts.SelectMany(clients => regions.Select(region => (clients, region))).Select(async pair =>
        {
            var (clients, region) = pair;
            var kms = clients.Kms(region);
            using var inFlight = new SemaphoreSlim(InFlightPerRegion);
            var pacers = KmsRequestQuotas.Operations.ToDictionary(op => op, op => new Pacer(KmsRequestQuotas.For(op)));

            async Task<T> Call<T>(string op, Func<Task<T>> call)
            {
                await pacers[op].WaitAsync();
                await inFlight.WaitAsync();
                try { Interlocked.Increment(ref calls); return await call(); }
                finally { inFlight.Release(); }
            }

            var keysTask = Task.Run(async () =>
            {
                var ids = new List<string>();
                string? marker = null;
                do
                {
                    var page = await Call(KmsRequestQuotas.ListKeys, () => kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker }));
                    ids.AddRange(page.Keys.Select(k => k.KeyId));
                    marker = page.Truncated == true ? page.NextMarker : null;
                } while (marker is not null);
                return ids;
            });
            var aliasesTask = Task.Run(async () =>
            {
                string? marker = null;
                do
                {
                    var page = await Call(KmsRequestQuotas.ListAliases, () => kms.ListAliasesAsync(new ListAliasesRequest { Limit = 100, Marker = marker }));
                    marker = page.Truncated == true ? page.NextMarker : null;
                } while (marker is not null);
            });
            var ids = await keysTask;
            await aliasesTask;
            await Task.WhenAll(ids.Select(async id =>
            {
                var meta = (await Call(KmsRequestQuotas.DescribeKey, () => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = id }))).KeyMetadata;
                if (meta.KeyManager == Amazon.KeyManagementService.KeyManagerType.AWS) return;
                var reads = new List<Task>
                {
                    Call(KmsRequestQuotas.GetKeyPolicy, () => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = id, PolicyName = "default" })),
                    Call(KmsRequestQuotas.ListResourceTags, () => kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = id, Limit = 50 })),
                };
                if (meta.KeySpec == "SYMMETRIC_DEFAULT" && meta.Origin == "AWS_KMS")
                    reads.Add(Call(KmsRequestQuotas.GetKeyRotationStatus, () => kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = id })));
                await Task.WhenAll(reads);
            }));
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Result(seconds, calls, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Token bucket of one second's worth: calls wait for a token, never for a throttling error.</summary>
    private sealed class Pacer(double rate)
    {
        private readonly Lock _gate = new();
        private readonly double _rate = rate;
        private double _tokens = rate;
        private long _last = Stopwatch.GetTimestamp();

        public Task WaitAsync()
        {
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(_rate, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * _rate) - 1;
                _last = now;
                return _tokens >= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(-_tokens / _rate));
            }
        }
    }
}
