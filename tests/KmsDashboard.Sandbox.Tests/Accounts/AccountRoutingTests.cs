using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.Accounts;

/// <summary>Requests go to the account of their signing key: long-term keys to the management account, role sessions to the role's.</summary>
public sealed class AccountRoutingTests
{
    private const string Management = "111122223333", Member = "444455556666";

    private static Task<SandboxServer> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions
        {
            SeedDemoAccount = false,
            EnforceQuotas = false,
            Accounts =
            [
                new() { Id = Management, Name = "security", Seed = SandboxAccountSeed.Empty },
                new() { Id = Member, Name = "payments", Seed = SandboxAccountSeed.Empty },
            ],
        };
        configure?.Invoke(options);
        return SandboxServer.StartAsync(options);
    }

    [Fact]
    public async Task KeysOfOneAccountAreInvisibleToTheOther()
    {
        await using var server = await StartAsync();
        var session = (await AccountClients.AssumeAsync(server, Member)).AsAws();
        using var member = AccountClients.Kms(server, "eu-west-1", session);
        using var management = AccountClients.Kms(server, "eu-west-1");

        var memberKey = (await member.CreateKeyAsync(new CreateKeyRequest { Description = "member key" })).KeyMetadata;
        var managementKey = (await management.CreateKeyAsync(new CreateKeyRequest { Description = "management key" })).KeyMetadata;
        Assert.Equal($"arn:aws:kms:eu-west-1:{Member}:key/{memberKey.KeyId}", memberKey.Arn);
        Assert.Equal(Member, memberKey.AWSAccountId);
        Assert.Equal($"arn:aws:kms:eu-west-1:{Management}:key/{managementKey.KeyId}", managementKey.Arn);

        Assert.Equal([memberKey.KeyId], (await member.ListKeysAsync(new ListKeysRequest())).Keys.Select(k => k.KeyId));
        Assert.Equal([managementKey.KeyId], (await management.ListKeysAsync(new ListKeysRequest())).Keys.Select(k => k.KeyId));
        await Assert.ThrowsAsync<NotFoundException>(() => management.DescribeKeyAsync(new DescribeKeyRequest { KeyId = memberKey.KeyId }));
        await Assert.ThrowsAsync<NotFoundException>(() => management.DescribeKeyAsync(new DescribeKeyRequest { KeyId = memberKey.Arn }));
        await Assert.ThrowsAsync<NotFoundException>(() => member.DescribeKeyAsync(new DescribeKeyRequest { KeyId = managementKey.Arn }));

        // The state behind each account, as other sandbox code reads it.
        var accounts = server.Services.GetRequiredService<SandboxAccounts>();
        Assert.Equal([memberKey.Arn], accounts.ServicesOf(Member).GetRequiredService<KmsSandboxState>().ListKeys().Select(k => k.Arn));
        Assert.Equal([managementKey.Arn], server.Services.GetRequiredService<KmsSandboxState>().ListKeys().Select(k => k.Arn));
    }

    [Fact]
    public async Task GetCallerIdentityNamesTheSignersAccountAndPrincipal()
    {
        await using var server = await StartAsync();
        using var sts = AccountClients.Sts(server);
        var user = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(Management, user.Account);
        Assert.Equal($"arn:aws:iam::{Management}:user/bob", user.Arn);

        var credentials = await AccountClients.AssumeAsync(server, Member, session: "alice-at-dashboard");
        using var asMember = AccountClients.Sts(server, credentials.AsAws());
        var assumed = await asMember.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(Member, assumed.Account);
        Assert.Equal($"arn:aws:sts::{Member}:assumed-role/KmsDashboard/alice-at-dashboard", assumed.Arn);
        Assert.Matches("^AROA[A-Z2-7]{17}:alice-at-dashboard$", assumed.UserId);
        Assert.Matches("^ASIA[A-Z0-9]{16}$", credentials.AccessKeyId);
    }

    [Fact]
    public async Task AssumeRoleAnswersAsStsDoes()
    {
        await using var server = await StartAsync();
        using var sts = AccountClients.Sts(server);
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{Member}:role/KmsDashboard", RoleSessionName = "ops", ExternalId = "kmsdash-demo",
            SourceIdentity = "alice@example.com", DurationSeconds = 900,
        });
        Assert.Equal($"arn:aws:sts::{Member}:assumed-role/KmsDashboard/ops", response.AssumedRoleUser.Arn);
        Assert.EndsWith(":ops", response.AssumedRoleUser.AssumedRoleId);
        Assert.StartsWith("AROA", response.AssumedRoleUser.AssumedRoleId);
        Assert.Equal("alice@example.com", response.SourceIdentity);
        var control = server.Services.GetRequiredService<SandboxControl>();
        var expected = control.Clock.UtcNow.AddSeconds(900);
        Assert.InRange(response.Credentials.Expiration!.Value.ToUniversalTime(), expected.UtcDateTime.AddSeconds(-5), expected.UtcDateTime.AddSeconds(1));

        // OrganizationAccountAccessRole has no external id; the management account's roles can be assumed too.
        var admin = await AccountClients.AssumeAsync(server, Member, "OrganizationAccountAccessRole", externalId: null);
        Assert.StartsWith("ASIA", admin.AccessKeyId);
        var own = await AccountClients.AssumeAsync(server, Management);
        using var asOwn = AccountClients.Sts(server, own.AsAws());
        Assert.Equal(Management, (await asOwn.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Theory]
    [InlineData("444455556666", "NoSuchRole", "kmsdash-demo")]
    [InlineData("999999999999", "KmsDashboard", "kmsdash-demo")]
    [InlineData("444455556666", "KmsDashboard", "wrong-external-id")]
    [InlineData("444455556666", "KmsDashboard", null)]
    public async Task AssumeRoleIsDeniedForUnknownRolesAndWrongExternalIds(string account, string role, string? externalId)
    {
        await using var server = await StartAsync();
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => AccountClients.AssumeAsync(server, account, role, externalId));
        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal($"User: arn:aws:iam::{Management}:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{account}:role/{role}", error.Message);
    }

    [Theory]
    [InlineData("has space", null, null, "roleSessionName")]
    [InlineData("x", null, null, "roleSessionName")]
    [InlineData("ops", "bad/identity", null, "sourceIdentity")]
    [InlineData("ops", null, 600, "durationSeconds")]
    [InlineData("ops", null, 43201, "durationSeconds")]
    public async Task AssumeRoleRejectsInvalidInput(string session, string? sourceIdentity, int? duration, string member)
    {
        await using var server = await StartAsync();
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            AccountClients.AssumeAsync(server, Member, session: session, sourceIdentity: sourceIdentity, duration: duration));
        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Contains($"'{member}'", error.Message);
    }

    [Fact]
    public async Task SessionsExpireOnTheSandboxClockAndAtReset()
    {
        await using var server = await StartAsync();
        var control = server.Services.GetRequiredService<SandboxControl>();
        var credentials = await AccountClients.AssumeAsync(server, Member, duration: 900);
        using var member = AccountClients.Kms(server, "us-east-1", credentials.AsAws());
        await member.ListKeysAsync(new ListKeysRequest());

        control.Advance(TimeSpan.FromSeconds(901));
        var expired = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => member.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("ExpiredTokenException", expired.ErrorCode);
        using var sts = AccountClients.Sts(server, credentials.AsAws());
        Assert.Equal("ExpiredToken", (await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()))).ErrorCode);

        // A fresh session works until a reset ends it.
        var fresh = await AccountClients.AssumeAsync(server, Member);
        using var again = AccountClients.Kms(server, "us-east-1", fresh.AsAws());
        await again.ListKeysAsync(new ListKeysRequest());
        control.Reset();
        Assert.Equal("ExpiredTokenException", (await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() =>
            again.ListKeysAsync(new ListKeysRequest()))).ErrorCode);
    }

    [Fact]
    public async Task SessionKeysNeedTheirSessionToken()
    {
        await using var server = await StartAsync();
        var credentials = await AccountClients.AssumeAsync(server, Member);
        using var noToken = AccountClients.Kms(server, "us-east-1", new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey));
        var error = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => noToken.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    [Fact]
    public async Task RoleChainingKeepsTheSourceIdentityAndAnHourAtMost()
    {
        await using var server = await StartAsync();
        var first = await AccountClients.AssumeAsync(server, Management, sourceIdentity: "alice");
        var chained = await AccountClients.AssumeAsync(server, Member, session: "alice-chained", caller: first.AsAws());
        using var sts = AccountClients.Sts(server, chained.AsAws());
        Assert.Equal($"arn:aws:sts::{Member}:assumed-role/KmsDashboard/alice-chained", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
        var other = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            AccountClients.AssumeAsync(server, Member, sourceIdentity: "mallory", caller: first.AsAws()));
        Assert.Equal("AccessDenied", other.ErrorCode);
        var tooLong = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            AccountClients.AssumeAsync(server, Member, duration: 7200, caller: first.AsAws()));
        Assert.Equal("ValidationError", tooLong.ErrorCode);
    }

    [Fact]
    public async Task CloudTrailOfTheRolesAccountNamesTheSessionAndItsSourceIdentity()
    {
        await using var server = await StartAsync();
        var credentials = await AccountClients.AssumeAsync(server, Member, session: "alice-example-com", sourceIdentity: "alice@example.com");
        using var member = AccountClients.Kms(server, "eu-west-1", credentials.AsAws());
        var key = (await member.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        await member.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });

        var (status, page) = await AccountClients.LookupEventsAsync(server, "eu-west-1", new JsonObject
        {
            ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "Username", ["AttributeValue"] = "alice-example-com" }),
        }, credentials.AccessKeyId, credentials.SessionToken);
        Assert.Equal(200, status);
        var events = page["Events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        // Newest first; the two calls may share a second, so compare as a set.
        Assert.Equal(["CreateKey", "DisableKey"], events.Select(e => e["EventName"]!.GetValue<string>()).Order());
        foreach (var e in events)
        {
            Assert.Equal("alice-example-com", e["Username"]!.GetValue<string>());
            var record = JsonNode.Parse(e["CloudTrailEvent"]!.GetValue<string>())!;
            var identity = record["userIdentity"]!;
            Assert.Equal("AssumedRole", identity["type"]!.GetValue<string>());
            Assert.Equal($"arn:aws:sts::{Member}:assumed-role/KmsDashboard/alice-example-com", identity["arn"]!.GetValue<string>());
            Assert.Equal(Member, identity["accountId"]!.GetValue<string>());
            Assert.Equal(credentials.AccessKeyId, identity["accessKeyId"]!.GetValue<string>());
            Assert.Equal($"arn:aws:iam::{Member}:role/KmsDashboard", identity["sessionContext"]!["sessionIssuer"]!["arn"]!.GetValue<string>());
            Assert.Equal("alice@example.com", identity["sessionContext"]!["sourceIdentity"]!.GetValue<string>());
            Assert.Equal(Member, record["recipientAccountId"]!.GetValue<string>());
        }

        // AssumeRole itself is in the role's account, by the caller from the management account.
        var (_, assumeRole) = await AccountClients.LookupEventsAsync(server, "us-east-1", new JsonObject
        {
            ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "EventName", ["AttributeValue"] = "AssumeRole" }),
        }, credentials.AccessKeyId, credentials.SessionToken);
        var assumed = JsonNode.Parse(assumeRole["Events"]!.AsArray().Single()!["CloudTrailEvent"]!.GetValue<string>())!;
        Assert.Equal("sts.amazonaws.com", assumed["eventSource"]!.GetValue<string>());
        Assert.Equal(Management, assumed["userIdentity"]!["accountId"]!.GetValue<string>());
        Assert.Equal("alice@example.com", assumed["requestParameters"]!["sourceIdentity"]!.GetValue<string>());
        Assert.Equal($"arn:aws:iam::{Member}:role/KmsDashboard", assumed["requestParameters"]!["roleArn"]!.GetValue<string>());

        // The management account's CloudTrail holds none of the member's KMS calls.
        var (_, managementPage) = await AccountClients.LookupEventsAsync(server, "eu-west-1", new JsonObject
        {
            ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "Username", ["AttributeValue"] = "alice-example-com" }),
        });
        Assert.Empty(managementPage["Events"]!.AsArray());
    }

    [Fact]
    public async Task S3InARoleSessionUsesThatAccountsBucketsAndKeys()
    {
        await using var server = await StartAsync();
        var credentials = await AccountClients.AssumeAsync(server, Member, session: "exporter", sourceIdentity: "carol");
        using var member = AccountClients.Kms(server, "eu-west-1", credentials.AsAws());
        var key = (await member.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
        using var s3 = new Amazon.S3.AmazonS3Client(credentials.AsAws(),
            new Amazon.S3.AmazonS3Config { ServiceURL = server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
        await s3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = "member-exports", BucketRegionName = "eu-west-1" });
        await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = "member-exports", Key = "a.txt", ContentBody = "hello",
            ServerSideEncryptionMethod = Amazon.S3.ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
        });
        var head = await s3.GetObjectMetadataAsync("member-exports", "a.txt");
        Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);

        var accounts = server.Services.GetRequiredService<SandboxAccounts>();
        Assert.NotNull(accounts.ServicesOf(Member).GetRequiredService<Sandbox.S3.S3SandboxState>().GetBucket("member-exports"));
        Assert.Null(server.Services.GetRequiredService<Sandbox.S3.S3SandboxState>().GetBucket("member-exports"));

        // S3's GenerateDataKey on the session's behalf is in the member's CloudTrail, naming the session and its source identity.
        var (_, page) = await AccountClients.LookupEventsAsync(server, "eu-west-1", new JsonObject
        {
            ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "EventName", ["AttributeValue"] = "GenerateDataKey" }),
        }, credentials.AccessKeyId, credentials.SessionToken);
        var record = JsonNode.Parse(page["Events"]!.AsArray().Single()!["CloudTrailEvent"]!.GetValue<string>())!;
        Assert.Equal("s3.amazonaws.com", record["userIdentity"]!["invokedBy"]!.GetValue<string>());
        Assert.Equal("carol", record["userIdentity"]!["sessionContext"]!["sourceIdentity"]!.GetValue<string>());
        Assert.Equal($"arn:aws:sts::{Member}:assumed-role/KmsDashboard/exporter", record["userIdentity"]!["arn"]!.GetValue<string>());
    }

    [Fact]
    public async Task QuotaSwitchAndFaultsApplyToEveryAccount()
    {
        await using var server = await StartAsync();
        var options = server.Services.GetRequiredService<SandboxOptions>();
        var memberOptions = server.Services.GetRequiredService<SandboxAccounts>().ServicesOf(Member).GetRequiredService<SandboxOptions>();
        Assert.Equal(Member, memberOptions.AccountId);
        options.EnforceQuotas = true;
        Assert.True(memberOptions.EnforceQuotas);
        options.EnforceQuotas = false;
        Assert.False(memberOptions.EnforceQuotas);

        var control = server.Services.GetRequiredService<SandboxControl>();
        control.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        var credentials = await AccountClients.AssumeAsync(server, Member);
        using var member = AccountClients.Kms(server, "eu-west-1", credentials.AsAws());
        var down = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => member.ListKeysAsync(new ListKeysRequest()));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, down.StatusCode);
    }

    [Theory]
    [InlineData("12345", "not a 12-digit AWS account id")]
    [InlineData("111122223333", "repeats account 111122223333")]
    public async Task BadAccountSettingsStopTheStart(string secondId, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(o => o.Accounts[1].Id = secondId));
        Assert.Contains(expected, error.Message);
    }
}
