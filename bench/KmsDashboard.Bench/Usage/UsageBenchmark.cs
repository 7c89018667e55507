using System.Diagnostics;
using System.Globalization;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudWatch;
using KmsDashboard.Core.Usage;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Bench.Usage;

/// <summary>
/// Loading the Usage page's data for 17 Regions and 30 days at 5-minute resolution from the sandbox's CloudWatch.
/// <c>min_calls</c> is what the limits allow at best: per Region, max(⌈queries / 500⌉, ⌈data points / 100,800⌉).
/// Prints <c>usage regions=&lt;n&gt; metrics=&lt;n&gt; calls=&lt;n&gt; min_calls=&lt;n&gt; seconds=&lt;s&gt;</c>.
/// </summary>
internal static class UsageBenchmark
{
    private static readonly string[] Regions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-north-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    ];

    public static async Task RunAsync(string[] args)
    {
        var keysPerRegion = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        // The demo account brings 90 days of generated traffic in its six Regions; the others get keys used now.
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        using var clients = new AwsClients(Options.Create(new BackendOptions { Mode = BackendMode.Sandbox, Regions = Regions, ServiceUrl = server.Url.ToString() }));
        await Task.WhenAll(Regions.Select(async region =>
        {
            var kms = clients.Kms(region);
            for (var i = 0; i < keysPerRegion; i++)
            {
                var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"bench {i}" })).KeyMetadata;
                await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([1]) });
                if (i % 2 == 0) await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
            }
        }));

        var now = DateTimeOffset.UtcNow;
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 300 * 300);
        var range = new UsageRange(UsageRangeKind.Last30Days, end.AddDays(-30), end, 300);
        var reader = new UsageReader(new CloudWatchClients(clients), NullLogger<UsageReader>.Instance);

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Regions.Select(r => reader.ReadRegionAsync(r, range, null, onlyKnownKeys: false, CancellationToken.None)));
        var seconds = watch.Elapsed.TotalSeconds;

        var failed = results.Where(r => r.Error is not null).ToList();
        foreach (var f in failed) Console.Error.WriteLine($"{f.Region}: {f.Error}");
        // The best possible: every query answered and every point paged in full calls.
        var minCalls = 0;
        foreach (var region in results)
        {
            var points = await CountPointsAsync(clients, region.Region, range);
            minCalls += Math.Max((int)Math.Ceiling(region.Metrics / 500.0), (int)Math.Ceiling(points / 100_800.0));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"usage regions={Regions.Length} metrics={results.Sum(r => r.Metrics)} calls={results.Sum(r => r.GetMetricDataCalls)} min_calls={minCalls} seconds={seconds:F2}"));
    }

    /// <summary>The data points CloudWatch holds for the Region's SuccessfulRequest metrics over the range (one query per metric).</summary>
    private static async Task<long> CountPointsAsync(AwsClients clients, string region, UsageRange range)
    {
        var client = new CloudWatchClient(clients, region);
        var queries = new List<MetricDataQuery>();
        await foreach (var metric in client.ListAllMetricsAsync(new ListMetricsRequest { Namespace = "AWS/KMS", MetricName = "SuccessfulRequest" }))
            queries.Add(new MetricDataQuery { Id = $"m{queries.Count}", MetricStat = new MetricStat { Metric = metric, Period = range.PeriodSeconds, Stat = "SampleCount" } });
        long points = 0;
        foreach (var batch in queries.Chunk(CloudWatchClient.MaxQueriesPerCall))
        {
            var all = await client.GetAllMetricDataAsync(new GetMetricDataRequest { MetricDataQueries = [.. batch], StartTime = range.Start.UtcDateTime, EndTime = range.End.UtcDateTime });
            points += all.MetricDataResults.Sum(r => r.Values.Count);
        }
        return points;
    }
}
