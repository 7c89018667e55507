using System.Text.Json;
using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

public sealed class SeededHistoryTests
{
    private const string Account = "111122223333";
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly TrailKey[] Keys =
    [
        Key("us-east-1", "mrk-1111111111111111111111111111111a", "PRIMARY", ["alias/orders"], -200),
        Key("eu-west-1", "mrk-1111111111111111111111111111111a", "REPLICA", ["alias/orders"], -30),
        Key("us-east-1", "0b7a4c1e-4d1f-4b1a-9a1e-3c2d1e0f9a8b", null, ["alias/payments"], -300),
        Key("eu-west-1", "7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f", null, [], -120, state: "PendingDeletion"),
        Key("eu-west-1", "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", null, ["alias/aws/s3"], -400, awsManaged: true),
    ];

    private static TrailKey Key(string region, string id, string? type, string[] aliases, int createdDaysAgo, string state = "Enabled", bool awsManaged = false) =>
        new(region, id, $"arn:aws:kms:{region}:{Account}:key/{id}", state, type, aliases, Start.AddDays(createdDaysAgo), awsManaged);

    private static (TrailLookup Lookup, SandboxClock Clock) Build(params TrailKey[] keys)
    {
        var clock = new SandboxClock(new FixedTime(Start));
        var history = new SeededHistory(new SandboxOptions { AccountId = Account }, clock, new TrailKeySource(() => keys));
        return (new TrailLookup(new TrailStore(), history), clock);
    }

    private static LookupQuery Query(string? key = null, string? value = null, int max = 50, string? token = null)
    {
        var body = new JsonObject { ["MaxResults"] = max };
        if (key is not null) body["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = key, ["AttributeValue"] = value });
        if (token is not null) body["NextToken"] = token;
        return LookupQuery.Parse(JsonDocument.Parse(body.ToJsonString()).RootElement, Start);
    }

    private static List<TrailEvent> All(TrailLookup lookup, string region, string? key = null, string? value = null)
    {
        var all = new List<TrailEvent>();
        string? token = null;
        do
        {
            var page = lookup.Run(region, Query(key, value, token: token), Start);
            all.AddRange(page.Events);
            token = page.Next?.Encode();
        } while (token is not null);
        return all;
    }

    [Fact]
    public void ApplicationsDecryptEveryDayOfTheNinetyDays()
    {
        var (lookup, _) = Build(Keys);

        var decrypts = All(lookup, "us-east-1", "EventName", "Decrypt");

        var days = decrypts.Select(e => e.Time.UtcDateTime.Date).Distinct().Count();
        Assert.InRange(days, 88, 91);
        Assert.All(decrypts, e => Assert.InRange(e.Time, Start - CloudTrailLimits.Retention, Start));
        Assert.Contains(decrypts, e => e.Username.StartsWith("i-", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSameKeysGiveTheSameHistory()
    {
        var first = Build(Keys).Lookup.Run("us-east-1", Query(), Start).Events.Select(e => e.EventId);
        var second = Build(Keys).Lookup.Run("us-east-1", Query(), Start).Events.Select(e => e.EventId);

        Assert.Equal(first, second);
    }

    [Fact]
    public void ADeletionWasScheduledThenCancelledAndTheKeyEnabledAgain()
    {
        var (lookup, _) = Build(Keys);

        var scheduled = All(lookup, "us-east-1", "EventName", "ScheduleKeyDeletion");
        var cancelled = All(lookup, "us-east-1", "EventName", "CancelKeyDeletion");
        var enabled = All(lookup, "us-east-1", "EventName", "EnableKey");

        var schedule = Assert.Single(scheduled);
        var cancel = Assert.Single(cancelled);
        Assert.Equal("carol", schedule.Username);
        Assert.Equal("alice", cancel.Username);
        Assert.Equal(schedule.Resources, cancel.Resources);
        Assert.True(schedule.Time < cancel.Time && cancel.Time < Assert.Single(enabled).Time);
        var failedWhilePending = All(lookup, "us-east-1", "ResourceName", schedule.Resources[0])
            .Where(e => e.Time > schedule.Time && e.Time < cancel.Time && e.EventName == "Decrypt").ToList();
        Assert.All(failedWhilePending, e => Assert.Equal("KMSInvalidStateException", e.ErrorCode));
    }

    [Fact]
    public void AReportingJobMetABurstOfAccessDenied()
    {
        var (lookup, _) = Build(Keys);

        var denied = All(lookup, "us-east-1", "Username", "nightly-etl").Where(e => e.ErrorCode == "AccessDenied").ToList();

        Assert.Equal(150, denied.Count);
        Assert.True(denied.Max(e => e.Time) - denied.Min(e => e.Time) < TimeSpan.FromMinutes(30));
        Assert.Contains("not authorized to perform: kms:Decrypt", denied[0].ErrorMessage);
    }

    [Fact]
    public void AReplicaCreatedInTheWindowLeavesReplicateKeyInThePrimaryRegionAndCreateKeyInItsOwn()
    {
        var (lookup, _) = Build(Keys);

        var replicate = Assert.Single(All(lookup, "us-east-1", "EventName", "ReplicateKey"));
        var created = Assert.Single(All(lookup, "eu-west-1", "EventName", "CreateKey"));
        var synced = Assert.Single(All(lookup, "eu-west-1", "EventName", "SynchronizeMultiRegionKey"));

        Assert.Equal(Keys[0].Arn, replicate.Resources[0]);
        Assert.Equal(Keys[1].Arn, created.Resources[0]);
        Assert.Equal("AwsServiceEvent", created.EventType);
        Assert.Equal("AwsServiceEvent", synced.EventType);
        Assert.Equal(replicate.Time, created.Time);
    }

    [Fact]
    public void AKeyPendingDeletionIsNoLongerUsedForCryptographyAfterItsScheduling()
    {
        var (lookup, _) = Build(Keys);
        var events = All(lookup, "eu-west-1", "ResourceName", Keys[3].Arn);

        var schedule = Assert.Single(events, e => e.EventName == "ScheduleKeyDeletion");
        var after = events.Where(e => e.Time > schedule.Time).ToList();
        Assert.Contains(events, e => e.Time < schedule.Time && e.EventName is "Decrypt" or "Encrypt" or "GenerateDataKey");
        Assert.All(after, e => Assert.Contains(e.EventName, new[] { "DescribeKey", "GetKeyRotationStatus", "GetKeyPolicy" }));
    }

    [Fact]
    public void AwsManagedKeysAreUsedByServicesOnBehalfOfUsers()
    {
        var (lookup, _) = Build(Keys);

        var page = lookup.Run("eu-west-1", Query("ResourceName", Keys[4].Arn), Start).Events;

        Assert.NotEmpty(page);
        Assert.All(page, e => Assert.Equal("s3.amazonaws.com", e.InvokedBy));
        var record = JsonDocument.Parse(TrailRecordWriter.Record(page[0], Account)).RootElement;
        Assert.Equal("s3.amazonaws.com", record.GetProperty("userIdentity").GetProperty("invokedBy").GetString());
        Assert.StartsWith("arn:aws:s3:::", record.GetProperty("requestParameters").GetProperty("encryptionContext").GetProperty("aws:s3:arn").GetString());
    }

    [Fact]
    public void PagesOfSeededAndRecordedEventsJoinWithoutGapsOrDuplicates()
    {
        var (lookup, _) = Build(Keys);

        var paged = All(lookup, "us-east-1", "ResourceName", Keys[0].Arn);
        var big = new List<TrailEvent>();
        string? token = null;
        do
        {
            var page = lookup.Run("us-east-1", Query("ResourceName", Keys[0].Arn, max: 7, token: token), Start);
            big.AddRange(page.Events);
            token = page.Next?.Encode();
        } while (token is not null && big.Count < 400);

        Assert.Equal(paged.Count, paged.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(paged.Take(big.Count).Select(e => e.EventId), big.Select(e => e.EventId));
    }

    [Fact]
    public void ATokenOnlyWorksForTheQueryThatIssuedIt()
    {
        var (lookup, _) = Build(Keys);
        var token = lookup.Run("us-east-1", Query("EventName", "Decrypt", max: 5), Start).Next!.Encode();

        var otherQuery = Assert.Throws<TrailLookupException>(() => lookup.Run("us-east-1", Query("EventName", "Encrypt", token: token), Start));
        var otherRegion = Assert.Throws<TrailLookupException>(() => lookup.Run("eu-west-1", Query("EventName", "Decrypt", token: token), Start));

        Assert.Equal("InvalidNextTokenException", otherQuery.Code);
        Assert.Equal("InvalidNextTokenException", otherRegion.Code);
        Assert.NotEmpty(lookup.Run("us-east-1", Query("EventName", "Decrypt", max: 50, token: token), Start).Events);
    }

    [Fact]
    public void KeysCreatedAfterTheSandboxStartedHaveNoSeededHistory()
    {
        var late = Key("us-east-1", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", null, [], 1);
        var (lookup, _) = Build([.. Keys, late]);

        Assert.Empty(lookup.Run("us-east-1", Query("ResourceName", late.Arn), Start.AddDays(2)).Events);
    }
}
