using System.Collections.Concurrent;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudWatch;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Usage;

/// <summary>
/// Reads <c>AWS/KMS SuccessfulRequest</c> (and <c>AWS/Usage CallCount</c>) of one Region from CloudWatch with the fewest
/// GetMetricData calls the limits allow: up to 500 queries per request, each request paged by NextToken only when its
/// data points pass the 100,800 a call returns.
/// In the multi-account set-up each account's CloudWatch is read with that account's (assumed-role) credentials.
/// </summary>
public sealed class UsageReader(CloudWatchClients cloudWatch, ILogger<UsageReader> logger, AwsAccounts? accounts = null)
{
    private readonly ConcurrentDictionary<string, CloudWatchClients> _perAccount = new(StringComparer.Ordinal);

    /// <summary>CloudWatch of <paramref name="region"/> in <paramref name="account"/> (null or the default account: the dashboard's own).</summary>
    private CloudWatchClient Client(AwsAccount? account, string region)
    {
        if (account is null || account.IsDefault || accounts is null) return cloudWatch.For(region);
        return _perAccount.GetOrAdd(account.Id, _ => new CloudWatchClients(accounts.Clients(account)) { Retry = cloudWatch.Retry }).For(region);
    }

    /// <summary>The operations KMS reports per key; queried directly for keys named by the caller.</summary>
    public static readonly IReadOnlyList<string> CryptographicOperations =
    [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "Sign", "Verify", "DeriveSharedSecret",
    ];

    /// <summary>
    /// SuccessfulRequest per key and operation in <paramref name="region"/> over <paramref name="range"/>: the metrics
    /// ListMetrics reports (keys used in the past two weeks), plus every operation of <paramref name="knownKeyArns"/>
    /// (so keys quiet for longer still show their older use). With <paramref name="onlyKnownKeys"/>, ListMetrics is skipped.
    /// </summary>
    public async Task<RegionUsage> ReadRegionAsync(
        string region, UsageRange range, IReadOnlyCollection<string>? knownKeyArns, bool onlyKnownKeys, CancellationToken cancellationToken,
        AwsAccount? account = null)
    {
        var accountId = account?.Id ?? "";
        try
        {
            var client = Client(account, region);
            var metrics = new HashSet<(string KeyArn, string Operation)>();
            if (!onlyKnownKeys)
            {
                await foreach (var metric in client.ListAllMetricsAsync(new ListMetricsRequest { Namespace = "AWS/KMS", MetricName = "SuccessfulRequest" }, cancellationToken))
                {
                    var arn = metric.Dimensions.FirstOrDefault(d => d.Name == "KeyArn")?.Value;
                    var operation = metric.Dimensions.FirstOrDefault(d => d.Name == "Operation")?.Value;
                    if (arn is not null && operation is not null && metric.Dimensions.Count == 2) metrics.Add((arn, operation));
                }
            }
            foreach (var arn in knownKeyArns ?? [])
                foreach (var operation in CryptographicOperations) metrics.Add((arn, operation));

            var ordered = metrics.OrderBy(m => m.KeyArn, StringComparer.Ordinal).ThenBy(m => m.Operation, StringComparer.Ordinal).ToList();
            var queries = ordered.Select((m, i) => Query($"m{i}", "AWS/KMS", "SuccessfulRequest",
                [new() { Name = "KeyArn", Value = m.KeyArn }, new() { Name = "Operation", Value = m.Operation }], range.PeriodSeconds)).ToList();
            var (values, calls) = await ReadAsync(client, queries, range, cancellationToken);
            var series = ordered.Select((m, i) => new KeyMetricSeries(region, m.KeyArn, m.Operation, values[i]))
                .Where(s => s.Values.Any(v => v > 0)).ToList();
            return new RegionUsage(region, series, null, calls, ordered.Count) { Account = accountId };
        }
        catch (AwsServiceException ex)
        {
            logger.LogWarning("Reading usage in {Region} (account {Account}) failed: {ErrorCode} {Message}", region, accountId, ex.ErrorCode, ex.Message);
            return new RegionUsage(region, [], $"{ex.ErrorCode}: {ex.Message}", 0, 0) { Account = accountId };
        }
        catch (Exception ex) when (account is { IsDefault: false } && ex is Amazon.Runtime.AmazonClientException or Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            // The account's role could not be assumed (or its STS did not answer): this account fails, the others load.
            logger.LogWarning("Reading usage in {Region} of account {Account} failed: {Message}", region, accountId, ex.Message);
            return new RegionUsage(region, [], $"Could not assume {account.RoleArn}: {ex.Message}", 0, 0) { Account = accountId };
        }
    }

    /// <summary>All KMS API calls of the Region over the range (AWS/Usage CallCount, every Resource), by Resource.</summary>
    public async Task<IReadOnlyDictionary<string, double>> ReadCallCountsAsync(string region, UsageRange range, CancellationToken cancellationToken, AwsAccount? account = null)
    {
        var client = Client(account, region);
        var resources = new List<string>();
        await foreach (var metric in client.ListAllMetricsAsync(new ListMetricsRequest
        {
            Namespace = "AWS/Usage", MetricName = "CallCount", Dimensions = [new() { Name = "Service", Value = "KMS" }],
        }, cancellationToken))
        {
            if (metric.Dimensions.FirstOrDefault(d => d.Name == "Resource")?.Value is { } resource) resources.Add(resource);
        }
        var distinct = resources.Distinct(StringComparer.Ordinal).ToList();
        var queries = distinct.Select((r, i) => Query($"c{i}", "AWS/Usage", "CallCount",
        [
            new() { Name = "Service", Value = "KMS" }, new() { Name = "Type", Value = "API" },
            new() { Name = "Class", Value = "None" }, new() { Name = "Resource", Value = r },
        ], range.PeriodSeconds)).ToList();
        var (values, _) = await ReadAsync(client, queries, range, cancellationToken);
        return distinct.Select((r, i) => (r, values[i].Sum())).ToDictionary(x => x.r, x => x.Item2, StringComparer.Ordinal);
    }

    private static MetricDataQuery Query(string id, string ns, string name, List<Dimension> dimensions, int period) => new()
    {
        Id = id,
        MetricStat = new MetricStat { Metric = new Metric { Namespace = ns, MetricName = name, Dimensions = dimensions }, Period = period, Stat = "Sum" },
    };

    /// <summary>Runs the queries in requests of ≤500, following NextToken; values land on the range's timeline.</summary>
    private static async Task<(double[][] Values, int Calls)> ReadAsync(
        CloudWatchClient client, List<MetricDataQuery> queries, UsageRange range, CancellationToken cancellationToken)
    {
        var points = range.PointCount;
        var values = queries.Select(_ => new double[points]).ToArray();
        var index = queries.Select((q, i) => (q.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var calls = 0;
        foreach (var batch in queries.Chunk(CloudWatchClient.MaxQueriesPerCall))
        {
            var pages = new System.Runtime.CompilerServices.StrongBox<int>(0);
            var response = await client.GetAllMetricDataAsync(new GetMetricDataRequest
            {
                MetricDataQueries = [.. batch],
                StartTime = range.Start.UtcDateTime,
                EndTime = range.End.UtcDateTime,
                ScanBy = "TimestampAscending",
            }, cancellationToken, pages);
            calls += pages.Value;
            foreach (var result in response.MetricDataResults)
            {
                if (!index.TryGetValue(result.Id, out var q)) continue;
                for (var i = 0; i < result.Timestamps.Count && i < result.Values.Count; i++)
                {
                    var slot = (int)((new DateTimeOffset(DateTime.SpecifyKind(result.Timestamps[i], DateTimeKind.Utc)) - range.Start).TotalSeconds / range.PeriodSeconds);
                    if (slot >= 0 && slot < points) values[q][slot] += result.Values[i];
                }
            }
        }
        return (values, calls);
    }
}
