using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Sandbox.S3;
using ReplicationConfiguration = Amazon.S3.Model.ReplicationConfiguration;
using ReplicationRule = Amazon.S3.Model.ReplicationRule;
using Tag = Amazon.S3.Model.Tag;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>Buckets and their configuration through AWSSDK.S3 4.1.0 (and raw HTTP for addressing and error bodies).</summary>
public sealed class S3BucketTests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>
{
    [Fact]
    public async Task BucketsKeepTheRegionTheyWereCreatedIn()
    {
        var east = await sandbox.CreateBucketAsync("us-east-1", "east");
        var west = await sandbox.CreateBucketAsync("eu-west-1", "west");

        var list = await sandbox.S3("us-east-1").ListBucketsAsync(new ListBucketsRequest());
        var eastHead = await sandbox.S3("us-east-1").HeadBucketAsync(new HeadBucketRequest { BucketName = east });
        var westHead = await sandbox.S3("eu-west-1").HeadBucketAsync(new HeadBucketRequest { BucketName = west });
        var westLocation = await sandbox.S3("eu-west-1").GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = west });
        var eastLocation = await sandbox.S3("us-east-1").GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = east });

        Assert.Contains(list.Buckets, b => b.BucketName == east && b.BucketRegion == "us-east-1");
        Assert.Contains(list.Buckets, b => b.BucketName == west && b.BucketRegion == "eu-west-1");
        Assert.Equal("us-east-1", eastHead.BucketRegion);
        Assert.Equal("eu-west-1", westHead.BucketRegion);
        Assert.Equal("eu-west-1", westLocation.Location.Value);
        Assert.True(string.IsNullOrEmpty(eastLocation.Location?.Value) || eastLocation.Location.Value == "us-east-1");
    }

    [Fact]
    public async Task CreateBucketRefusesDuplicatesBadNamesAndAConstraintTheEndpointCannotServe()
    {
        var name = await sandbox.CreateBucketAsync("eu-west-1", "dup");

        var again = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => sandbox.S3("eu-west-1").PutBucketAsync(new PutBucketRequest
        {
            BucketName = name,
            PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint("eu-west-1") },
        }));
        var bad = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => sandbox.S3("us-east-1").PutBucketAsync(new PutBucketRequest { BucketName = "Not_A.valid..name" }));
        var elsewhere = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => sandbox.S3("eu-west-1").PutBucketAsync(new PutBucketRequest
        {
            BucketName = sandbox.NewBucketName("other"),
            PutBucketConfiguration = new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint("ap-southeast-1") },
        }));

        Assert.Equal("BucketAlreadyOwnedByYou", again.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("InvalidBucketName", bad.ErrorCode);
        Assert.Equal("IllegalLocationConstraintException", elsewhere.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Equal("eu-west-1", (await sandbox.S3("eu-west-1").HeadBucketAsync(new HeadBucketRequest { BucketName = name })).BucketRegion);
    }

    [Fact]
    public async Task AClientSignedForAnotherRegionIsToldTheBucketsRegion()
    {
        var name = await sandbox.CreateBucketAsync("eu-west-1", "region");
        using var http = new HttpClient();

        using var wrong = await http.SendAsync(sandbox.Raw(HttpMethod.Get, $"/{name}?list-type=2", "ap-southeast-1"));
        using var global = await http.SendAsync(sandbox.Raw(HttpMethod.Get, $"/{name}?list-type=2", "us-east-1"));
        var wrongBody = XElement.Parse(await wrong.Content.ReadAsStringAsync());
        var globalBody = XElement.Parse(await global.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("AuthorizationHeaderMalformed", wrongBody.Element("Code")!.Value);
        Assert.Equal("eu-west-1", wrongBody.Element("Region")!.Value);
        Assert.Equal("eu-west-1", wrong.Headers.GetValues("x-amz-bucket-region").Single());
        Assert.Equal(HttpStatusCode.MovedPermanently, global.StatusCode);
        Assert.Equal("PermanentRedirect", globalBody.Element("Code")!.Value);
        Assert.Equal($"{name}.s3.eu-west-1.amazonaws.com", globalBody.Element("Endpoint")!.Value);
    }

    [Fact]
    public async Task VirtualHostStyleAddressesTheBucketFromTheHostAndErrorsAreS3Xml()
    {
        var name = await sandbox.CreateBucketAsync("eu-west-1", "vhost");
        using var http = new HttpClient();
        var put = sandbox.Raw(HttpMethod.Put, "/notes/today.txt", "eu-west-1", host: $"{name}.s3.eu-west-1.localhost");
        put.Content = S3Sandbox.Bytes("virtual"u8.ToArray(), "text/plain");
        using var putResponse = await http.SendAsync(put);
        using var localhost = await http.SendAsync(sandbox.Raw(HttpMethod.Get, "/notes/today.txt", "eu-west-1", host: $"{name}.localhost"));
        using var missing = await http.SendAsync(sandbox.Raw(HttpMethod.Get, "/notes/absent.txt", "eu-west-1", host: $"{name}.s3.eu-west-1.localhost"));
        var error = XElement.Parse(await missing.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);
        Assert.Equal("virtual", await localhost.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Error", error.Name.LocalName);
        Assert.Equal("NoSuchKey", error.Element("Code")!.Value);
        Assert.Equal("notes/absent.txt", error.Element("Key")!.Value);
        Assert.Equal(missing.Headers.GetValues("x-amz-request-id").Single(), error.Element("RequestId")!.Value);
        Assert.Equal("virtual"u8.ToArray(), sandbox.State.GetObject(name, "notes/today.txt"));
    }

    [Fact]
    public async Task DeleteBucketRefusesABucketThatHoldsObjects()
    {
        var name = await sandbox.CreateBucketAsync("us-east-1", "delete");
        var s3 = sandbox.S3("us-east-1");
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "a", ContentBody = "a" });

        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = name }));
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = name, Key = "a" });
        await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = name });
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }));

        Assert.Equal("BucketNotEmpty", notEmpty.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, notEmpty.StatusCode);
        Assert.Equal("NoSuchBucket", gone.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("arn")]
    [InlineData("alias")]
    [InlineData("alias-arn")]
    [InlineData("typo")]
    public async Task DefaultEncryptionKeepsTheKeyAsNamedUnchecked(string naming)
    {
        var name = await sandbox.CreateBucketAsync("eu-west-1", "enc");
        var key = await sandbox.Harness.CreateKeyAsync("eu-west-1");
        var alias = $"alias/enc-{Guid.NewGuid():N}";
        await sandbox.Kms("eu-west-1").CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var keyName = naming switch
        {
            "id" => key.KeyId,
            "arn" => key.Arn,
            "alias" => alias,
            "alias-arn" => $"arn:aws:kms:eu-west-1:111122223333:{alias}",
            _ => "not-a-key-at-all",
        };
        var s3 = sandbox.S3("eu-west-1");

        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = name,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                        {
                            ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS,
                            ServerSideEncryptionKeyManagementServiceKeyId = keyName,
                        },
                        BucketKeyEnabled = true,
                    },
                ],
            },
        });
        var rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules.Single();

        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.Equal(keyName, rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(rule.BucketKeyEnabled);
    }

    [Fact]
    public async Task DeletedEncryptionIsNotFound()
    {
        var name = await sandbox.CreateBucketAsync("us-east-1", "noenc");
        sandbox.State.SetDefaultKmsEncryption(name, "alias/whatever");
        var s3 = sandbox.S3("us-east-1");

        await s3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = name });
        // AWSSDK.S3 4.1 answers this 404 with an empty response rather than an exception; the wire says why.
        var sdk = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name });
        var (status, code) = await RawErrorAsync($"/{name}?encryption", "us-east-1");

        Assert.Equal(HttpStatusCode.NotFound, sdk.HttpStatusCode);
        Assert.Null(sdk.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault());
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ServerSideEncryptionConfigurationNotFoundError", code);
    }

    [Fact]
    public async Task ReplicationNeedsVersioningOnTheSource()
    {
        var source = await sandbox.CreateBucketAsync("us-east-1", "src");
        var destination = await sandbox.CreateBucketAsync("eu-west-1", "dst", versioned: true);
        var s3 = sandbox.S3("us-east-1");
        var request = new PutBucketReplicationRequest
        {
            BucketName = source,
            Configuration = new ReplicationConfiguration
            {
                Role = "arn:aws:iam::111122223333:role/replication",
                Rules =
                [
                    new ReplicationRule
                    {
                        Id = "all",
                        Status = ReplicationRuleStatus.Enabled,
                        Priority = 1,
                        Filter = new ReplicationRuleFilter { Prefix = "" },
                        DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Disabled },
                        Destination = new ReplicationDestination { BucketArn = $"arn:aws:s3:::{destination}" },
                    },
                ],
            },
        };

        var none = await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = source });
        var (noneStatus, noneCode) = await RawErrorAsync($"/{source}?replication", "us-east-1");
        var unversioned = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketReplicationAsync(request));
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = source, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        await s3.PutBucketReplicationAsync(request);
        var stored = (await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = source })).Configuration;
        var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = source });
        await s3.DeleteBucketReplicationAsync(new DeleteBucketReplicationRequest { BucketName = source });

        Assert.Equal(HttpStatusCode.NotFound, none.HttpStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noneStatus);
        Assert.Equal("ReplicationConfigurationNotFoundError", noneCode);
        Assert.Equal("InvalidRequest", unversioned.ErrorCode);
        Assert.Equal(VersionStatus.Enabled, versioning.VersioningConfig.Status);
        Assert.Equal("arn:aws:iam::111122223333:role/replication", stored.Role);
        Assert.Equal($"arn:aws:s3:::{destination}", stored.Rules.Single().Destination.BucketArn);
        Assert.Null(sandbox.State.GetBucket(source)!.Replication);
    }

    [Fact]
    public async Task TagsRoundTripAndAnUntaggedBucketHasNoTagSet()
    {
        var name = await sandbox.CreateBucketAsync("eu-west-1", "tags");
        var s3 = sandbox.S3("eu-west-1");

        var none = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = name }));
        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = name, TagSet = [new Tag { Key = "team", Value = "payments" }, new Tag { Key = "env", Value = "prod" }] });
        var tags = (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = name })).TagSet;

        Assert.Equal("NoSuchTagSet", none.ErrorCode);
        Assert.Equal(["team=payments", "env=prod"], tags.Select(t => $"{t.Key}={t.Value}"));
    }

    [Fact]
    public async Task InjectedRegionFaultsAnswerAsS3Does()
    {
        var name = await sandbox.CreateBucketAsync("ap-northeast-1", "faults");
        var s3 = sandbox.S3("ap-northeast-1");

        sandbox.Harness.Control.Faults.Set("ap-northeast-1", new KmsDashboard.Sandbox.Hosting.RegionFault(Outage: true));
        var outage = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }));
        sandbox.Harness.Control.Faults.Set("ap-northeast-1", new KmsDashboard.Sandbox.Hosting.RegionFault(Throttle: true));
        var throttled = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }));
        sandbox.Harness.Control.Faults.Clear("ap-northeast-1");
        var location = await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name });

        Assert.Equal("ServiceUnavailable", outage.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal("SlowDown", throttled.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, throttled.StatusCode);
        Assert.Equal("ap-northeast-1", location.Location.Value);
    }

    [Fact]
    public async Task ResetDropsEveryBucket()
    {
        await using var own = await SandboxHarness.StartAsync();
        var state = own.Server.Services.GetService(typeof(S3SandboxState)) as S3SandboxState;
        state!.CreateBucket("eu-west-1", "reset-me");
        using var http = new HttpClient();

        using var reset = await http.PostAsync(new Uri(own.Server.Url, "/_sandbox/reset"), null);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Empty(state.ListBuckets());
    }

    private async Task<(HttpStatusCode Status, string Code)> RawErrorAsync(string pathAndQuery, string region)
    {
        using var http = new HttpClient();
        using var response = await http.SendAsync(sandbox.Raw(HttpMethod.Get, pathAndQuery, region));
        return (response.StatusCode, XElement.Parse(await response.Content.ReadAsStringAsync()).Element("Code")!.Value);
    }
}
