using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Storage;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Bench.S3Scan;

/// <summary>
/// Scans a sandbox bucket of N SSE-KMS objects (three keys) with 30 ms added to every call, through the real
/// <see cref="ObjectScanner"/>, then through the most direct plain-SDK scan (list a page, HeadObject every key at the
/// same concurrency; no pacing, no saving), and prints
/// <c>s3scan objects= seconds= bound_seconds= ratio_to_bound= replay_seconds= ratio_to_replay= peak_mb=</c>.
/// The bound is the larger of S3's rate (5,500 GET/HEAD a second per prefix, plus one round trip) and what this
/// machine's CPU allows for the calls made (measured: the sandbox and SDK's HeadObject throughput with no added latency).
/// peak_mb is the scan's live heap above the baseline, sampled (a full collection every 0.5 s) in a separate, untimed scan.
/// </summary>
internal static class S3ScanBenchmark
{
    private const string Region = "us-east-1", Bucket = "bench-scan";
    private const int Concurrency = 256;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(30);

    public static async Task RunAsync(string[] args)
    {
        var counts = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [20_000, 100_000];
        foreach (var count in counts) await RunOnceAsync(count);
    }

    private static async Task RunOnceAsync(int objects)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, EnforceQuotas = false });
        var clients = new AwsClients(Options.Create(new BackendOptions { Mode = BackendMode.Sandbox, Regions = [Region], ServiceUrl = server.Url.ToString() }));
        var keys = new List<string>();
        for (var i = 0; i < 3; i++) keys.Add((await clients.Kms(Region).CreateKeyAsync(new Kms.CreateKeyRequest())).KeyMetadata.Arn);
        var s3State = server.Services.GetRequiredService<S3SandboxState>();
        s3State.CreateBucket(Region, Bucket);
        for (var i = 0; i < objects; i++) s3State.PutObject(Bucket, $"data/{i:D7}", [(byte)i], keys[i % 3]);

        var data = Directory.CreateTempSubdirectory("kmsdashboard-bench-scan-");
        var options = Options.Create(new DependentsOptions { ScanConcurrency = Concurrency, ScanRequestsPerSecond = 5500 });
        var scanner = new ObjectScanner(clients, new ObjectScanStore(Options.Create(new StorageOptions { DataDirectory = data.FullName })), options,
            NullLogger<ObjectScanner>.Instance);

        // What the CPU allows: HeadObject throughput with no added latency, on a sample, once warm (JIT, connections, threads).
        // The best of three passes: the machine is shared, and a bound must not be slower than what was achieved.
        var sample = Math.Min(objects, 20_000);
        var cpuPerCall = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var cpuWatch = Stopwatch.StartNew();
            await HeadAllAsync(clients.S3(Region), Enumerable.Range(0, sample).Select(i => $"data/{i:D7}"), Concurrency);
            cpuPerCall = Math.Min(cpuPerCall, cpuWatch.Elapsed.TotalSeconds / sample);
        }

        var faults = server.Services.GetRequiredService<SandboxFaults>();
        faults.GlobalLatency = Latency;
        // Warm both paths under latency first (thread pool growth, connections), unmeasured, so neither run pays for it.
        await HeadAllAsync(clients.S3(Region), Enumerable.Range(0, Math.Min(objects, 10_000)).Select(i => $"data/{i:D7}"), Concurrency);
        // Timed runs carry no memory sampling: a forced full collection every half second stops every thread of this
        // process, the sandbox's 100,000 objects included, and would be timed as the scanner's cost. Memory is measured
        // in a separate, untimed scan below.
        var replayWatch = Stopwatch.StartNew();
        var replayed = await ReplayAsync(clients.S3(Region));
        replayWatch.Stop();
        if (replayed != objects) throw new InvalidOperationException($"The replay saw {replayed} of {objects} objects.");

        var watch = Stopwatch.StartNew();
        var state = await scanner.RunAsync(Bucket, Region, resume: false, null, CancellationToken.None);
        watch.Stop();

        var baseline = GC.GetTotalMemory(true);
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                try { await Task.Delay(500, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var sampled = await scanner.RunAsync(Bucket, Region, resume: false, null, CancellationToken.None);
        await sampling.CancelAsync();
        await sampler;
        if (sampled.ObjectsScanned != objects) throw new InvalidOperationException($"The sampled scan saw {sampled.ObjectsScanned} of {objects} objects.");
        if (state.Status != ObjectScanStatus.Completed || state.ObjectsScanned != objects || state.CountsByKey.Count != 3)
            throw new InvalidOperationException($"The scan ended {state.Status} with {state.ObjectsScanned} of {objects} objects: {state.Error}");

        var calls = objects + Math.Ceiling(objects / 1000.0);
        var bound = Math.Max(calls / 5500.0 + Latency.TotalSeconds, calls * cpuPerCall);
        var seconds = watch.Elapsed.TotalSeconds;
        var replay = replayWatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"s3scan objects={objects} seconds={seconds:0.00} bound_seconds={bound:0.00} ratio_to_bound={seconds / bound:0.000} replay_seconds={replay:0.00} ratio_to_replay={seconds / replay:0.000} peak_mb={(peak - baseline) / 1048576.0:0.0}"));
        clients.Dispose();
        data.Delete(recursive: true);
    }

    /// <summary>The plain scan: each page listed, then every object's HeadObject at the same concurrency.</summary>
    private static async Task<long> ReplayAsync(IAmazonS3 s3)
    {
        long seen = 0;
        var request = new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1000 };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            seen += await HeadAllAsync(s3, (page.S3Objects ?? []).Select(o => o.Key), Concurrency);
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return seen;
    }

    private static async Task<long> HeadAllAsync(IAmazonS3 s3, IEnumerable<string> keys, int concurrency)
    {
        long count = 0;
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (key, ct) =>
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct);
            if (head.ServerSideEncryptionKeyManagementServiceKeyId is not null) Interlocked.Increment(ref count);
        });
        return count;
    }
}
