using System.Text.Json.Nodes;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using BasicAWSCredentials = Amazon.Runtime.BasicAWSCredentials;

namespace KmsDashboard.Core.Tests.Aws.CloudTrail;

/// <summary>The CloudTrail client against the sandbox's CloudTrail, fed with calls published to the sandbox's call log.</summary>
public sealed class CloudTrailClientSandboxTests : IAsyncLifetime
{
    private const string Account = "111122223333";
    private static readonly BasicAWSCredentials Credentials = new(DemoAccessKeys.Bob, "secret");
    private SandboxServer _server = null!;
    private readonly CloudTrailRateLimiter _limiter = new();

    public async Task InitializeAsync() => _server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CloudTrailClient Client(string region, CloudTrailRateLimiter? limiter = null) => new(Credentials, region, _server.Url, limiter ?? _limiter);

    private CloudTrailRateMeter Meter => _server.Services.GetRequiredService<CloudTrailRateMeter>();

    private DateTimeOffset Now => _server.Services.GetRequiredService<SandboxClock>().UtcNow;

    private static string Arn(string region, string id) => $"arn:aws:kms:{region}:{Account}:key/{id}";

    private void Publish(string region, string operation, DateTimeOffset time, string accessKey, string? arn, bool readOnly = true,
        string? error = null, JsonObject? parameters = null) =>
        _server.Services.GetRequiredService<SandboxCallLog>().Publish(new SandboxCall
        {
            Time = time, Region = region, Service = "kms", Operation = operation, RequestId = Guid.NewGuid().ToString(),
            AccessKeyId = accessKey, SourceIp = "203.0.113.7", UserAgent = "app/2.0", ReadOnly = readOnly,
            RequestParameters = parameters ?? new JsonObject { ["KeyId"] = arn }, ErrorCode = error,
            ErrorMessage = error is null ? null : "refused", Resources = arn is null ? [] : [arn],
        });

    private void PublishMany(string region, int count, string arn)
    {
        var now = Now;
        for (var i = 0; i < count; i++)
            Publish(region, i % 3 == 0 ? "Encrypt" : "Decrypt", now.AddSeconds(-10 - i * 30), DemoAccessKeys.OrderService, arn, readOnly: i % 3 != 0);
    }

    private static async Task<List<Event>> AllAsync(CloudTrailClient client, LookupEventsRequest request)
    {
        var events = new List<Event>();
        await foreach (var page in client.LookupAllPagesAsync(request)) events.AddRange(page.Events);
        return events;
    }

    [Fact]
    public async Task PagesFollowNextTokenWithoutGapsOrDuplicates()
    {
        var arn = Arn("us-east-1", "mrk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        PublishMany("us-east-1", 230, arn);
        var pages = 0;
        var events = new List<Event>();

        await foreach (var page in Client("us-east-1").LookupAllPagesAsync(new LookupEventsRequest { MaxResults = 50 }))
        {
            pages++;
            events.AddRange(page.Events);
        }

        Assert.Equal(5, pages);
        Assert.Equal(230, events.Count);
        Assert.Equal(230, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(events.OrderByDescending(e => e.EventTime).Select(e => e.EventId), events.Select(e => e.EventId));
    }

    [Fact]
    public async Task ConcurrentReadersSharingTheLimiterNeverAskMoreThanTwiceASecondPerRegion()
    {
        PublishMany("us-east-1", 140, Arn("us-east-1", "mrk-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
        PublishMany("eu-west-1", 140, Arn("eu-west-1", "mrk-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
        var request = new LookupEventsRequest { MaxResults = 50 };

        var readers = new[] { "us-east-1", "us-east-1", "us-east-1", "eu-west-1", "eu-west-1" }
            .Select(region => AllAsync(Client(region), request)).ToList();
        var results = await Task.WhenAll(readers);

        Assert.All(results, r => Assert.Equal(140, r.Count));
        Assert.Equal(9, Meter.Total("us-east-1"));
        Assert.Equal(6, Meter.Total("eu-west-1"));
        Assert.InRange(Meter.MaxPerSecond("us-east-1"), 1, 2);
        Assert.InRange(Meter.MaxPerSecond("eu-west-1"), 1, 2);
        Assert.Equal(0, Meter.Throttled("us-east-1"));
    }

    [Fact]
    public async Task ThrottledRequestsAreRetriedUntilEveryPageIsRead()
    {
        PublishMany("ap-southeast-1", 200, Arn("ap-southeast-1", "mrk-cccccccccccccccccccccccccccccccc"));
        var request = new LookupEventsRequest { MaxResults = 50 };

        // Three clients that do not share a limiter ask six times a second: the sandbox throttles, they retry.
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AllAsync(Client("ap-southeast-1", new CloudTrailRateLimiter()), request)));

        Assert.All(results, r => Assert.Equal(200, r.Count));
    }

    [Theory]
    [InlineData(LookupAttributeKey.EventName, "Encrypt", 2)]
    [InlineData(LookupAttributeKey.Username, "alice", 1)]
    [InlineData(LookupAttributeKey.AccessKeyId, DemoAccessKeys.PaymentsLambda, 2)]
    [InlineData(LookupAttributeKey.ReadOnly, "true", 3)]
    [InlineData(LookupAttributeKey.ResourceName, "arn:aws:kms:eu-central-1:111122223333:key/mrk-dddddddddddddddddddddddddddddddd", 3)]
    [InlineData(LookupAttributeKey.ResourceType, "AWS::KMS::Key", 4)]
    [InlineData(LookupAttributeKey.EventSource, "kms.amazonaws.com", 5)]
    public async Task EachLookupAttributeFilters(string key, string value, int expected)
    {
        const string region = "eu-central-1";
        var a = Arn(region, "mrk-dddddddddddddddddddddddddddddddd");
        var b = Arn(region, "mrk-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
        Publish(region, "Decrypt", Now.AddMinutes(-5), DemoAccessKeys.PaymentsLambda, a);
        Publish(region, "Encrypt", Now.AddMinutes(-4), DemoAccessKeys.PaymentsLambda, a, readOnly: false);
        Publish(region, "Encrypt", Now.AddMinutes(-3), DemoAccessKeys.OrderService, b, readOnly: false);
        Publish(region, "DescribeKey", Now.AddMinutes(-2), DemoAccessKeys.Alice, a);
        Publish(region, "ListAliases", Now.AddMinutes(-1), DemoAccessKeys.Bob, null);

        var events = await AllAsync(Client(region), new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = key, AttributeValue = value }],
        });

        Assert.Equal(expected, events.Count);
    }

    [Fact]
    public async Task EventIdFindsOneEvent()
    {
        PublishMany("us-west-2", 3, Arn("us-west-2", "mrk-ffffffffffffffffffffffffffffffff"));
        var all = await AllAsync(Client("us-west-2"), new LookupEventsRequest());

        var one = await AllAsync(Client("us-west-2"), new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventId, AttributeValue = all[1].EventId! }],
        });

        Assert.Equal(all[1].EventId, Assert.Single(one).EventId);
    }

    [Fact]
    public async Task TimeRangeLimitsTheEvents()
    {
        var arn = Arn("us-east-1", "mrk-12121212121212121212121212121212");
        PublishMany("us-east-1", 20, arn);
        var now = Now;

        var events = await AllAsync(Client("us-east-1"), new LookupEventsRequest
        {
            StartTime = now.AddSeconds(-10 - 9 * 30 - 5).UtcDateTime, EndTime = now.AddSeconds(-10 - 5 * 30 + 5).UtcDateTime,
        });

        Assert.Equal(5, events.Count);
    }

    public static TheoryData<string, LookupEventsRequest> BadRequests => new()
    {
        { "InvalidLookupAttributesException", new LookupEventsRequest { LookupAttributes = [new() { AttributeKey = "EventName", AttributeValue = "Decrypt" }, new() { AttributeKey = "Username", AttributeValue = "bob" }] } },
        { "InvalidLookupAttributesException", new LookupEventsRequest { LookupAttributes = [new() { AttributeKey = "KeyId", AttributeValue = "x" }] } },
        { "InvalidMaxResultsException", new LookupEventsRequest { MaxResults = 51 } },
        { "InvalidMaxResultsException", new LookupEventsRequest { MaxResults = 0 } },
        { "InvalidTimeRangeException", new LookupEventsRequest { StartTime = DateTime.UtcNow, EndTime = DateTime.UtcNow.AddHours(-1) } },
        { "InvalidNextTokenException", new LookupEventsRequest { NextToken = "bm90LWEtdG9rZW4" } },
        { "InvalidEventCategoryException", new LookupEventsRequest { EventCategory = "data" } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadQueriesGetCloudTrailsErrorCodes(string code, LookupEventsRequest request)
    {
        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Client("us-east-1").LookupEventsAsync(request));

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task ATokenIsRefusedForADifferentQuery()
    {
        PublishMany("us-east-1", 60, Arn("us-east-1", "mrk-34343434343434343434343434343434"));
        var first = await Client("us-east-1").LookupEventsAsync(new LookupEventsRequest { MaxResults = 10 });

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Client("us-east-1").LookupEventsAsync(new LookupEventsRequest
        {
            NextToken = first.NextToken,
            LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventName, AttributeValue = "Decrypt" }],
        }));

        Assert.Equal("InvalidNextTokenException", ex.ErrorCode);
    }

    [Fact]
    public async Task TheRecordIsParsedIntoTypedFields()
    {
        var arn = Arn("eu-west-1", "mrk-56565656565656565656565656565656");
        Publish("eu-west-1", "Decrypt", Now.AddMinutes(-1), DemoAccessKeys.OrderService, arn, error: "AccessDeniedException",
            parameters: new JsonObject { ["KeyId"] = "alias/orders", ["EncryptionContext"] = new JsonObject { ["Tenant"] = "t-7" }, ["CiphertextBlob"] = "AQID" });

        var e = Assert.Single((await Client("eu-west-1").LookupEventsAsync(new LookupEventsRequest())).Events);
        var parsed = CloudTrailRecordParser.Parse(e, "eu-west-1");

        Assert.Equal("eu-west-1", parsed.Region);
        Assert.Equal("Decrypt", parsed.EventName);
        Assert.Equal("AssumedRole", parsed.UserType);
        Assert.Equal("OrderServiceRole", parsed.RoleName);
        Assert.StartsWith("i-", parsed.Username);
        Assert.Equal(DemoAccessKeys.OrderService, parsed.AccessKeyId);
        Assert.Equal("203.0.113.7", parsed.SourceIpAddress);
        Assert.Equal("app/2.0", parsed.UserAgent);
        Assert.Equal("alias/orders", parsed.RequestKeyId);
        Assert.Equal("t-7", parsed.EncryptionContext["Tenant"]);
        Assert.Equal("AccessDeniedException", parsed.ErrorCode);
        Assert.Equal("refused", parsed.ErrorMessage);
        Assert.Equal([arn], parsed.KeyArns);
        Assert.DoesNotContain("AQID", parsed.Record);
        Assert.True(parsed.ReadOnly);
    }
}
