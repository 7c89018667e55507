using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudWatch;
using KmsDashboard.Core.Tests.Moto;

namespace KmsDashboard.Core.Tests.Aws.CloudWatch;

/// <summary>The CloudWatch client against moto_server, an implementation nobody here wrote: metrics put there are read back.</summary>
[Collection(MotoCollection.Name)]
public sealed class CloudWatchClientMotoTests(MotoServer moto)
{
    [SkippableFact]
    public async Task GetMetricDataReadsBackWhatWasPut()
    {
        moto.Require();
        await moto.ResetAsync();
        using var clients = moto.CreateClients("eu-west-1");
        var now = DateTime.UtcNow;
        var minute = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(-10);
        var writer = new MetricWriter(clients, "eu-west-1");
        await writer.PutAsync("KmsDashboard/Test", "Calls", [(minute, 3), (minute.AddSeconds(20), 4), (minute.AddMinutes(2), 5)]);
        var client = new CloudWatchClient(clients, "eu-west-1");

        var metrics = new List<Metric>();
        await foreach (var m in client.ListAllMetricsAsync(new ListMetricsRequest { Namespace = "KmsDashboard/Test" })) metrics.Add(m);
        var data = await client.GetAllMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = minute.AddMinutes(-5), EndTime = minute.AddMinutes(5), ScanBy = "TimestampAscending",
            MetricDataQueries =
            [
                new MetricDataQuery
                {
                    Id = "calls",
                    MetricStat = new MetricStat
                    {
                        Metric = new Metric { Namespace = "KmsDashboard/Test", MetricName = "Calls", Dimensions = [new Dimension { Name = "KeyArn", Value = "arn:aws:kms:eu-west-1:123456789012:key/test" }] },
                        Period = 60, Stat = "Sum",
                    },
                },
            ],
        });

        Assert.Equal("Calls", Assert.Single(metrics).MetricName);
        var result = Assert.Single(data.MetricDataResults);
        Assert.Equal(12, result.Values.Sum());
        Assert.Equal([7.0, 5.0], result.Values);
    }

    /// <summary>PutMetricData, which the dashboard never needs, written only to give moto data to serve.</summary>
    private sealed class MetricWriter(AwsClients clients, string region) : AwsJsonClient(clients, region, AwsJsonProtocol.CloudWatch)
    {
        public Task PutAsync(string ns, string name, (DateTime Time, double Value)[] points) =>
            InvokeAsync<object, Dictionary<string, object>>("PutMetricData", new
            {
                Namespace = ns,
                MetricData = points.Select(p => new
                {
                    MetricName = name,
                    Dimensions = new[] { new { Name = "KeyArn", Value = "arn:aws:kms:eu-west-1:123456789012:key/test" } },
                    Timestamp = p.Time,
                    Value = p.Value,
                    Unit = "Count",
                }).ToArray(),
            }, CancellationToken.None);
    }
}
