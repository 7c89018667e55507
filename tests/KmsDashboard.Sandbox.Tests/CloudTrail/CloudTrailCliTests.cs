using System.Text.Json;
using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

/// <summary>The sandbox's CloudTrail as the aws CLI sees it, fed with calls published to the sandbox's call log.</summary>
public sealed class CloudTrailCliTests() : AwsCliSandboxTest(new SandboxOptions { SeedDemoAccount = false })
{
    private DateTimeOffset Now => Service<SandboxClock>().UtcNow;

    private static string KeyArn(string region, string id) => $"arn:aws:kms:{region}:{Account}:key/{id}";

    private void Publish(SandboxCall call) => Service<SandboxCallLog>().Publish(call);

    private static SandboxCall Call(string region, string operation, DateTimeOffset time, string accessKey = DemoAccessKeys.Alice,
        string? keyArn = null, bool readOnly = true, string? error = null, string eventType = "AwsApiCall") => new()
        {
            Time = time,
            Region = region,
            Service = "kms",
            Operation = operation,
            RequestId = Guid.NewGuid().ToString(),
            AccessKeyId = accessKey,
            SourceIp = "192.0.2.10",
            UserAgent = "test-agent/1.0",
            ReadOnly = readOnly,
            RequestParameters = new JsonObject { ["keyId"] = keyArn, ["encryptionContext"] = new JsonObject { ["app"] = "orders" } },
            ErrorCode = error,
            ErrorMessage = error is null ? null : $"{keyArn} is disabled.",
            Resources = keyArn is null ? [] : [keyArn],
            EventType = eventType,
        };

    private async Task<List<JsonElement>> LookupAsync(string region, params string[] extra)
    {
        var result = await Cli.JsonAsync(region, ["cloudtrail", "lookup-events", .. extra]);
        return [.. result.GetProperty("Events").EnumerateArray()];
    }

    [SkippableFact]
    public async Task RecordsACallInItsRegionAsARealShapedRecord()
    {
        var arn = KeyArn("eu-west-1", "mrk-1234abcd12ab34cd56ef1234567890ab");
        Publish(Call("eu-west-1", "Decrypt", Now.AddMinutes(-5), keyArn: arn));

        var events = await LookupAsync("eu-west-1");
        Assert.Empty(await LookupAsync("us-east-1"));

        var e = Assert.Single(events);
        Assert.Equal("Decrypt", e.GetProperty("EventName").GetString());
        Assert.Equal("true", e.GetProperty("ReadOnly").GetString());
        Assert.Equal("alice", e.GetProperty("Username").GetString());
        Assert.Equal(DemoAccessKeys.Alice, e.GetProperty("AccessKeyId").GetString());
        Assert.Equal("AWS::KMS::Key", e.GetProperty("Resources")[0].GetProperty("ResourceType").GetString());
        Assert.Equal(arn, e.GetProperty("Resources")[0].GetProperty("ResourceName").GetString());
        var record = JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement;
        Assert.Equal("kms.amazonaws.com", record.GetProperty("eventSource").GetString());
        Assert.Equal("eu-west-1", record.GetProperty("awsRegion").GetString());
        Assert.Equal("IAMUser", record.GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.Equal($"arn:aws:iam::{Account}:user/alice", record.GetProperty("userIdentity").GetProperty("arn").GetString());
        Assert.Equal("192.0.2.10", record.GetProperty("sourceIPAddress").GetString());
        Assert.Equal("test-agent/1.0", record.GetProperty("userAgent").GetString());
        Assert.Equal("orders", record.GetProperty("requestParameters").GetProperty("encryptionContext").GetProperty("app").GetString());
        Assert.True(record.GetProperty("readOnly").GetBoolean());
        Assert.True(record.GetProperty("managementEvent").GetBoolean());
        Assert.Equal("AwsApiCall", record.GetProperty("eventType").GetString());
        Assert.Equal(Account, record.GetProperty("recipientAccountId").GetString());
        Assert.Equal(e.GetProperty("EventId").GetString(), record.GetProperty("eventID").GetString());
        var resource = record.GetProperty("resources")[0];
        Assert.Equal(Account, resource.GetProperty("accountId").GetString());
        Assert.Equal(arn, resource.GetProperty("ARN").GetString());
        Assert.False(record.TryGetProperty("errorCode", out _));
    }

    [SkippableFact]
    public async Task FailedCallsCarryTheirErrorAndServiceEventsNoCaller()
    {
        var arn = KeyArn("us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab");
        Publish(Call("us-east-1", "Encrypt", Now.AddMinutes(-3), DemoAccessKeys.OrderService, arn, readOnly: false, error: "DisabledException"));
        Publish(Call("us-east-1", "RotateKey", Now.AddMinutes(-2), keyArn: arn, readOnly: false, eventType: "AwsServiceEvent"));
        Publish(Call("us-east-1", "DescribeKey", Now.AddMinutes(-1), "AKIAUNKNOWNEXAMPLE99", arn));

        var events = await LookupAsync("us-east-1");

        Assert.Equal(["DescribeKey", "RotateKey", "Encrypt"], events.Select(e => e.GetProperty("EventName").GetString()));
        Assert.Equal(DemoAccessKeys.GenericUserName, events[0].GetProperty("Username").GetString());
        var service = JsonDocument.Parse(events[1].GetProperty("CloudTrailEvent").GetString()!).RootElement;
        Assert.False(events[1].TryGetProperty("Username", out _));
        Assert.Equal("AwsServiceEvent", service.GetProperty("eventType").GetString());
        Assert.Equal("kms.amazonaws.com", service.GetProperty("userIdentity").GetProperty("invokedBy").GetString());
        var failed = JsonDocument.Parse(events[2].GetProperty("CloudTrailEvent").GetString()!).RootElement;
        Assert.Equal("DisabledException", failed.GetProperty("errorCode").GetString());
        Assert.Contains("is disabled", failed.GetProperty("errorMessage").GetString());
        Assert.Equal("AssumedRole", failed.GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.Equal("OrderServiceRole", failed.GetProperty("userIdentity").GetProperty("sessionContext").GetProperty("sessionIssuer").GetProperty("userName").GetString());
    }

    [SkippableFact]
    public async Task PagesNewestFirstWithoutGapsOrDuplicates()
    {
        var arn = KeyArn("us-west-2", "mrk-00000000000000000000000000000001");
        var published = new List<DateTimeOffset>();
        for (var i = 0; i < 120; i++)
        {
            var time = Now.AddMinutes(-1 - i * 7);
            published.Add(time);
            Publish(Call("us-west-2", i % 2 == 0 ? "Decrypt" : "GenerateDataKey", time, keyArn: arn));
        }

        var events = await LookupAsync("us-west-2", "--page-size", "50");

        Assert.Equal(120, events.Count);
        Assert.Equal(120, events.Select(e => e.GetProperty("EventId").GetString()).Distinct().Count());
        var times = events.Select(e => e.GetProperty("EventTime").GetDouble()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal(published.Select(t => (double)t.ToUnixTimeSeconds()), times);
    }

    [SkippableTheory]
    [InlineData("EventName", "GenerateDataKey", 2)]
    [InlineData("Username", "bob", 1)]
    [InlineData("AccessKeyId", DemoAccessKeys.PaymentsLambda, 1)]
    [InlineData("ReadOnly", "false", 2)]
    [InlineData("ReadOnly", "true", 2)]
    [InlineData("ResourceName", "arn:aws:kms:ap-southeast-1:111122223333:key/mrk-0000000000000000000000000000000b", 1)]
    [InlineData("ResourceType", "AWS::KMS::Key", 4)]
    [InlineData("EventSource", "kms.amazonaws.com", 4)]
    public async Task EachLookupAttributeFilters(string key, string value, int expected)
    {
        const string region = "ap-southeast-1";
        var a = KeyArn(region, "mrk-0000000000000000000000000000000a");
        var b = KeyArn(region, "mrk-0000000000000000000000000000000b");
        Publish(Call(region, "Decrypt", Now.AddMinutes(-4), DemoAccessKeys.Alice, a));
        Publish(Call(region, "GenerateDataKey", Now.AddMinutes(-3), DemoAccessKeys.PaymentsLambda, a));
        Publish(Call(region, "GenerateDataKey", Now.AddMinutes(-2), DemoAccessKeys.Bob, b, readOnly: false));
        Publish(Call(region, "DisableKey", Now.AddMinutes(-1), DemoAccessKeys.KeyAdmin, a, readOnly: false));

        var events = await LookupAsync(region, "--lookup-attributes", $"AttributeKey={key},AttributeValue={value}");

        Assert.Equal(expected, events.Count);
    }

    [SkippableFact]
    public async Task EventIdFindsExactlyThatEvent()
    {
        Publish(Call("eu-central-1", "Decrypt", Now.AddMinutes(-2)));
        Publish(Call("eu-central-1", "Encrypt", Now.AddMinutes(-1)));
        var all = await LookupAsync("eu-central-1");
        var id = all[1].GetProperty("EventId").GetString()!;

        var found = await LookupAsync("eu-central-1", "--lookup-attributes", $"AttributeKey=EventId,AttributeValue={id}");

        Assert.Equal("Decrypt", Assert.Single(found).GetProperty("EventName").GetString());
    }

    [SkippableTheory]
    [InlineData("InvalidMaxResultsException", "--max-results", "51")]
    [InlineData("InvalidLookupAttributesException", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=Decrypt", "AttributeKey=Username,AttributeValue=alice")]
    [InlineData("InvalidLookupAttributesException", "--lookup-attributes", "AttributeKey=ReadOnly,AttributeValue=maybe")]
    [InlineData("InvalidTimeRangeException", "--start-time", "2026-03-02T00:00:00Z", "--end-time", "2026-03-01T00:00:00Z")]
    [InlineData("InvalidNextTokenException", "--starting-token", "not-a-token")]
    [InlineData("InvalidEventCategoryException", "--event-category", "data")]
    public async Task BadRequestsGetCloudTrailsErrorCodes(string code, params string[] args)
    {
        var result = await Cli.RunAsync("us-east-1", ["cloudtrail", "lookup-events", .. args]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"({code})", result.Stderr);
    }
}
