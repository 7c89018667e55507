using System.Net;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Rotation.NewKeySet.Steps;

/// <summary>
/// Step 5: each chosen bucket's default encryption becomes SSE-KMS with the alias ARN in the bucket's Region, its bucket
/// key setting kept as it was, verified by GetBucketEncryption. PutBucketEncryption does not check the key, so the alias
/// is first checked to resolve to the new key in that Region. A bucket already pointing at the alias is not sent again.
/// </summary>
public sealed class BucketEncryptionStep : RunbookStep
{
    public const string StepName = "bucket-encryption";
    public override string Name => StepName;
    public override string Title => "Point bucket default encryption at the alias";
    public override string Description =>
        "Sets each chosen bucket's default encryption to SSE-KMS with the alias ARN in the bucket's Region (bucket keys as they were) and checks it with GetBucketEncryption.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        if (state.Buckets.Count == 0) { plan.Notes.Add("No bucket was chosen: nothing to change."); return; }
        if (state.KeyId is not { } keyId) { plan.Refuse("The primary does not exist yet: run step 1 first."); return; }
        foreach (var bucket in state.Buckets)
        {
            var where = $"s3://{bucket.Name} ({bucket.Region})";
            try
            {
                if (await AliasArnAsync(context, state, keyId, bucket.Region, cancellationToken) is not { } aliasArn)
                {
                    plan.Warnings.Add($"{where}: {state.AliasName} does not resolve to {keyId} in {bucket.Region} (run step 3 again); the bucket will be reported as failed.");
                    continue;
                }
                var current = await ReadAsync(context.S3(bucket.Region), bucket.Name, cancellationToken);
                if (IsDone(current, aliasArn))
                    plan.Notes.Add($"{where}: the default already is {Describe(current)}.");
                else
                    plan.Calls.Add(new RunbookPlannedCall(bucket.Region, "PutBucketEncryption",
                        $"Bucket={bucket.Name}, SSEAlgorithm={Algorithm(current)}, KMSMasterKeyID={aliasArn}, BucketKeyEnabled={BucketKey(current)}",
                        $"Now {Describe(current)}; new objects then use the new key through its alias."));
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                plan.Warnings.Add($"{where} could not be read ({StepContext.Describe(ex)}): it will be reported as failed and can be retried.");
            }
        }
        plan.Notes.Add("Objects already in the buckets keep the key they were written with; only new objects use the default.");
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        if (state.Buckets.Count == 0) return "No bucket was chosen.";
        var keyId = state.KeyId ?? throw new RunbookStepException("The primary does not exist yet: run step 1 first.");
        foreach (var bucket in state.Buckets)
        {
            var where = $"s3://{bucket.Name} ({bucket.Region})";
            try
            {
                if (await AliasArnAsync(context, state, keyId, bucket.Region, cancellationToken) is not { } aliasArn)
                {
                    context.Report(where, RegionResult.Failed, $"{state.AliasName} does not resolve to {keyId} in {bucket.Region}: run step 3 again, then this step.");
                    continue;
                }
                var s3 = context.S3(bucket.Region);
                var current = await ReadAsync(s3, bucket.Name, cancellationToken);
                var sent = !IsDone(current, aliasArn);
                if (sent)
                {
                    var algorithm = Algorithm(current);
                    var bucketKey = BucketKey(current);
                    await context.CallS3Async(bucket.Region, "PutBucketEncryption",
                        $"Bucket={bucket.Name}, SSEAlgorithm={algorithm}, KMSMasterKeyID={aliasArn}, BucketKeyEnabled={bucketKey}",
                        (client, ct) => client.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
                        {
                            BucketName = bucket.Name,
                            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
                            {
                                ServerSideEncryptionRules =
                                [
                                    new ServerSideEncryptionRule
                                    {
                                        BucketKeyEnabled = bucketKey,
                                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                                        {
                                            ServerSideEncryptionAlgorithm = algorithm, ServerSideEncryptionKeyManagementServiceKeyId = aliasArn,
                                        },
                                    },
                                ],
                            },
                        }, ct), cancellationToken);
                }
                var verified = await ReadAsync(s3, bucket.Name, cancellationToken);
                context.Report(where, IsDone(verified, aliasArn) ? RegionResult.Done : RegionResult.Failed,
                    IsDone(verified, aliasArn)
                        ? $"{(sent ? "Set" : "Already")} {Describe(verified)} (GetBucketEncryption)."
                        : $"GetBucketEncryption shows {Describe(verified)}, not {aliasArn}.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(where, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        return $"{context.Regions.Count(r => r.State == RegionResult.Done)} of {state.Buckets.Count} bucket(s) encrypt new objects under {state.AliasName}.";
    }

    /// <summary>The alias ARN in <paramref name="region"/> when the alias resolves to the new key there, else null.</summary>
    private static async Task<string?> AliasArnAsync(StepContext context, NewKeySetState state, string keyId, string region, CancellationToken cancellationToken)
    {
        KeyMetadata key;
        try
        {
            key = (await context.Kms(region).DescribeKeyAsync(new DescribeKeyRequest { KeyId = state.AliasName }, cancellationToken)).KeyMetadata;
        }
        catch (Amazon.KeyManagementService.Model.NotFoundException)
        {
            return null;
        }
        if (key.KeyId != keyId) return null;
        // arn:aws:kms:REGION:ACCOUNT:key/ID → arn:aws:kms:REGION:ACCOUNT:alias/NAME
        var at = key.Arn.IndexOf(":key/", StringComparison.Ordinal);
        return at < 0 ? null : $"{key.Arn[..at]}:{state.AliasName}";
    }

    private static async Task<ServerSideEncryptionRule?> ReadAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            var read = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken);
            // AWSSDK.S3 4.1 answers S3's 404 here with an empty response, not always an exception.
            return read.HttpStatusCode == HttpStatusCode.NotFound ? null : read.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault();
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "ServerSideEncryptionConfigurationNotFoundError")
        {
            return null;
        }
    }

    private static bool IsDone(ServerSideEncryptionRule? rule, string aliasArn) =>
        rule?.ServerSideEncryptionByDefault is { } d && (d.ServerSideEncryptionAlgorithm?.Value ?? "").StartsWith("aws:kms", StringComparison.Ordinal)
        && d.ServerSideEncryptionKeyManagementServiceKeyId == aliasArn;

    /// <summary>DSSE-KMS stays DSSE-KMS; anything else becomes SSE-KMS.</summary>
    private static ServerSideEncryptionMethod Algorithm(ServerSideEncryptionRule? rule) =>
        rule?.ServerSideEncryptionByDefault?.ServerSideEncryptionAlgorithm?.Value == "aws:kms:dsse" ? ServerSideEncryptionMethod.AWSKMSDSSE : ServerSideEncryptionMethod.AWSKMS;

    private static bool BucketKey(ServerSideEncryptionRule? rule) => rule?.BucketKeyEnabled ?? false;

    private static string Describe(ServerSideEncryptionRule? rule) => rule?.ServerSideEncryptionByDefault is not { } d
        ? "no default encryption"
        : BucketChoices.Describe(new Dependents.BucketDefaultEncryption(d.ServerSideEncryptionAlgorithm?.Value ?? "",
            string.IsNullOrEmpty(d.ServerSideEncryptionKeyManagementServiceKeyId) ? null : d.ServerSideEncryptionKeyManagementServiceKeyId, rule.BucketKeyEnabled ?? false));
}
