using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Sandbox.Tests.CloudWatch;

/// <summary>The sandbox's CloudWatch through clients nobody here wrote: the aws CLI (JSON 1.0) and a raw query-protocol form.</summary>
public sealed class CloudWatchCliTests
{
    [SkippableFact]
    public async Task TheAwsCliListsAndReadsTheMetricsOfTheKmsCallsMade()
    {
        AwsCli.Require();
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("eu-west-1", description: "cli metrics");
        var kms = sandbox.Kms("eu-west-1");
        for (var i = 0; i < 4; i++)
        {
            var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([7]) })).CiphertextBlob;
            if (i < 3) await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
        }
        var cli = new AwsCli(sandbox.Server.Url);
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var end = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ");
        string Query(string id, string operation) =>
            $"{{\"Id\":\"{id}\",\"MetricStat\":{{\"Metric\":{{\"Namespace\":\"AWS/KMS\",\"MetricName\":\"SuccessfulRequest\",\"Dimensions\":[{{\"Name\":\"KeyArn\",\"Value\":\"{key.Arn}\"}},{{\"Name\":\"Operation\",\"Value\":\"{operation}\"}}]}},\"Period\":60,\"Stat\":\"Sum\"}}}}";

        var list = await cli.RunAsync("eu-west-1", "cloudwatch", "list-metrics", "--namespace", "AWS/KMS", "--dimensions", $"Name=KeyArn,Value={key.Arn}");
        var data = await cli.RunAsync("eu-west-1", "cloudwatch", "get-metric-data", "--start-time", start, "--end-time", end,
            "--metric-data-queries", $"[{Query("enc", "Encrypt")},{Query("dec", "Decrypt")}]");
        var bad = await cli.RunAsync("eu-west-1", "cloudwatch", "get-metric-data", "--start-time", start, "--end-time", end,
            "--metric-data-queries", $"[{Query("Enc", "Encrypt")}]");

        Assert.True(list.ExitCode == 0, list.Stderr);
        var operations = list.Json.GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Dimensions").EnumerateArray().Single(d => d.GetProperty("Name").GetString() == "Operation").GetProperty("Value").GetString())
            .Order().ToList();
        Assert.Equal(["Decrypt", "Encrypt"], operations);
        Assert.True(data.ExitCode == 0, data.Stderr);
        double Sum(string id) => data.Json.GetProperty("MetricDataResults").EnumerateArray()
            .Single(r => r.GetProperty("Id").GetString() == id).GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble());
        Assert.Equal(4, Sum("enc"));
        Assert.Equal(3, Sum("dec"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("ValidationError", bad.Stderr);
    }

    [Fact]
    public async Task TheQueryProtocolAnswersInXml()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-west-2");
        await sandbox.Kms("us-west-2").EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([1]) });
        using var http = new HttpClient();
        HttpRequestMessage Form(params (string, string)[] fields)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, sandbox.Server.Url)
            {
                Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))),
            };
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{DateTime.UtcNow:yyyyMMdd}/us-west-2/monitoring/aws4_request, SignedHeaders=host, Signature=0");
            return request;
        }
        var now = DateTime.UtcNow;

        var response = await http.SendAsync(Form(("Action", "GetMetricData"), ("Version", "2010-08-01"),
            ("StartTime", now.AddHours(-1).ToString("o")), ("EndTime", now.AddMinutes(5).ToString("o")),
            ("MetricDataQueries.member.1.Id", "enc"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/KMS"),
            ("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "SuccessfulRequest"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name", "KeyArn"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value", key.Arn),
            ("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Name", "Operation"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Value", "Encrypt"),
            ("MetricDataQueries.member.1.MetricStat.Period", "300"),
            ("MetricDataQueries.member.1.MetricStat.Stat", "SampleCount")));
        var error = await http.SendAsync(Form(("Action", "GetMetricData"), ("Version", "2010-08-01"),
            ("StartTime", now.AddHours(-1).ToString("o")), ("EndTime", now.ToString("o")),
            ("MetricDataQueries.member.1.Id", "enc"),
            ("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/KMS"),
            ("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "SuccessfulRequest"),
            ("MetricDataQueries.member.1.MetricStat.Period", "90"),
            ("MetricDataQueries.member.1.MetricStat.Stat", "Sum")));

        XNamespace ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var values = xml.Descendants(ns + "Values").Single().Elements(ns + "member").Select(v => double.Parse(v.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, values.Sum());
        Assert.Equal("Complete", xml.Descendants(ns + "StatusCode").Single().Value);
        Assert.Equal(400, (int)error.StatusCode);
        Assert.Equal("InvalidParameterValue", XDocument.Parse(await error.Content.ReadAsStringAsync()).Descendants(ns + "Code").Single().Value);
    }
}
