using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 6: every bucket in the key set's Regions whose default encryption names the old key (by id, ARN or alias) gets
/// the alias as its default, and each object under the old key is copied in place under the new key and verified by
/// HeadObject; replication rules that encrypt replicas under an old key ARN get the new key's first (so the copies replicate
/// under it). The position per bucket
/// is saved after every object, so a run after a crash or a cancel goes on after the last verified object.
/// </summary>
public sealed class ReencryptS3Step : RunbookStep
{
    public const string StepName = "reencrypt-s3";
    private const int PlanPreviewKeys = 1000;

    public override string Name => StepName;
    public override string Title => "Re-encrypt S3";
    public override string Description =>
        "Points each dependent bucket's default encryption at the alias, copies its objects in place under the new key (verified by HeadObject) and moves replication rules to the new replica key.";

    /// <summary>Each bucket's saved position: its default, objects done of listed, and the objects that failed.</summary>
    public override StepDetails? Details(object state) =>
        state is KeySetRunbookState { Reencrypt.Count: > 0 } s
            ? new StepDetails(["Bucket", "Region", "Default", "Objects done / listed", "Failed"],
                [.. s.Reencrypt.Select(b => new StepDetailRow(b.Bucket,
                [
                    b.Bucket, b.Region, b.DefaultUpdated ? "moved to the alias" : "unchanged", $"{b.DoneCount} / {b.ListedCount}{(b.Listed ? "" : "+")}",
                    b.Failed.Count == 0 ? "—" : string.Join(", ", b.Failed.Take(5).Select(f => f.Key)) + (b.Failed.Count > 5 ? $" (+{b.Failed.Count - 5})" : ""),
                ]))])
            : null;

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is null || state.NewArns.Count == 0) { plan.Refuse("The new key does not exist yet: run steps 2 and 3 first."); return; }
        var found = await FindAsync(context, state, refresh: true, cancellationToken);
        if (found.Problem is { } problem) { plan.Refuse(problem); return; }
        plan.Warnings.AddRange(found.Warnings);
        foreach (var (bucket, rules) in found.Replication)
            plan.Calls.Add(new RunbookPlannedCall(bucket.Region!, "PutBucketReplication",
                $"Bucket={bucket.Name}, rules {string.Join(", ", rules.Select(r => $"{r.RuleId}: ReplicaKmsKeyID {r.ReplicaKmsKeyId} → {NewReplicaKey(state, r.ReplicaKmsKeyId!, bucket.Region!) ?? "(no new replica there)"}"))}",
                "First, so the objects copied below replicate under the new key."));
        foreach (var bucket in found.Buckets)
        {
            var progress = state.Reencrypt.FirstOrDefault(p => p.Bucket == bucket.Name);
            var newArn = state.NewArns.GetValueOrDefault(bucket.Region!);
            if (newArn is null) { plan.Warnings.Add($"s3://{bucket.Name} is in {bucket.Region}, where the new key has no replica: it will be reported as failed."); continue; }
            var target = state.AliasIn(bucket.Region!) ?? newArn;
            var current = bucket.Encryption!.KmsMasterKeyId;
            if (NeedsNewDefault(found.Names, current, bucket.Region!))
                plan.Calls.Add(new RunbookPlannedCall(bucket.Region!, "PutBucketEncryption",
                    $"Bucket={bucket.Name}, SSEAlgorithm={bucket.Encryption.Algorithm}, KMSMasterKeyID={target}, BucketKeyEnabled={bucket.Encryption.BucketKeyEnabled}",
                    $"The default names the old key as {current}; new objects then use the alias."));
            else plan.Notes.Add($"s3://{bucket.Name} ({bucket.Region}): the default already names {current}, which follows the alias.");

            string known;
            if (progress is not null)
                known = progress.Progress + (progress.Complete ? "" : "; the run goes on after " + (progress.LastKey ?? "the start"));
            else
            {
                try
                {
                    var page = await context.S3(bucket.Region!).ListObjectsV2Async(
                        new ListObjectsV2Request { BucketName = bucket.Name, MaxKeys = PlanPreviewKeys }, cancellationToken);
                    var count = page.S3Objects?.Count ?? 0;
                    known = page.IsTruncated == true ? $"more than {count} objects" : $"{count} objects";
                }
                catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
                {
                    known = $"objects could not be listed ({StepContext.Describe(ex)})";
                }
            }
            if (progress is null || !progress.Complete)
                plan.Calls.Add(new RunbookPlannedCall(bucket.Region!, "ListObjectsV2 + HeadObject + CopyObject + HeadObject",
                    $"Bucket={bucket.Name}, each object under the old key: CopyObject in place, MetadataDirective=COPY, SSE-KMS KeyId={newArn}",
                    $"{known}; objects already under the new key are skipped; at most {context.Options.ReencryptCopiesPerSecond:0.#} copies a second."));
            else plan.Notes.Add($"s3://{bucket.Name}: done ({progress.Progress}).");
        }
        if (found.Buckets.Count == 0 && found.Replication.Count == 0)
            plan.Notes.Add($"No bucket in {string.Join(", ", state.OldRegions)} names the old key in its default encryption or replication rules: nothing to re-encrypt.");
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is null || state.NewArns.Count == 0) throw new RunbookStepException("The new key does not exist yet: run steps 2 and 3 first.");
        var found = await FindAsync(context, state, refresh: true, cancellationToken);
        if (found.Problem is { } problem) throw new RunbookStepException(problem);
        var pacer = new RequestPacer(context.Options.ReencryptCopiesPerSecond, TimeProvider.System, TimeSpan.FromSeconds(0.2));

        // Replication rules first: S3 replicates each in-place copy under the rule in force when it was written, so copies
        // made before the rule moved would arrive in the destination under the old replica key.
        foreach (var (bucket, _) in found.Replication)
        {
            var where = $"s3://{bucket.Name} ({bucket.Region}) replication";
            try { context.Report(where, RegionResult.Done, await UpdateReplicationAsync(context, state, found.Names, bucket, cancellationToken)); }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken) || ex is RunbookStepException)
            {
                context.Report(where, RegionResult.Failed, StepContext.Describe(ex));
            }
        }

        foreach (var bucket in found.Buckets)
        {
            var where = $"s3://{bucket.Name} ({bucket.Region})";
            var progress = state.Reencrypt.FirstOrDefault(p => p.Bucket == bucket.Name);
            if (progress is null)
            {
                progress = new BucketReencryption { Bucket = bucket.Name, Region = bucket.Region!, OriginalDefaultKey = bucket.Encryption!.KmsMasterKeyId };
                state.Reencrypt.Add(progress);
                await context.SaveStateAsync(cancellationToken);
            }
            if (state.NewArns.GetValueOrDefault(bucket.Region!) is not { } newArn)
            {
                context.Report(where, RegionResult.Failed, $"The new key has no replica in {bucket.Region}.");
                continue;
            }
            try
            {
                await UpdateDefaultAsync(context, state, found.Names, bucket, progress, cancellationToken);
                await ReencryptObjectsAsync(context, found.Names, bucket, progress, newArn, pacer, cancellationToken);
                context.Report(where, progress.Complete ? RegionResult.Done : RegionResult.Failed, progress.Progress);
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(where, RegionResult.Failed, $"{StepContext.Describe(ex)}; so far {progress.Progress}.");
            }
            finally
            {
                await context.SaveStateAsync(CancellationToken.None);
            }
        }

        var buckets = state.Reencrypt.Where(p => found.Buckets.Any(b => b.Name == p.Bucket)).ToList();
        var failed = buckets.Sum(p => p.Failed.Count);
        return buckets.Count == 0 && found.Replication.Count == 0
            ? "No bucket names the old key: nothing to re-encrypt."
            : $"{buckets.Count} bucket(s): {buckets.Sum(p => p.Copied)} objects copied under the new key, {buckets.Sum(p => p.AlreadyNew)} already under it, " +
              $"{failed} failed{(failed > 0 ? " (run the step again to retry them)" : "")}; {found.Replication.Count} replication configuration(s) updated or checked.";
    }

    /// <summary>Buckets in the key set's Regions whose default names the old key (or one it was re-pointed to by an earlier run), and replication rules naming an old ARN.</summary>
    private static async Task<Found> FindAsync(StepContext context, KeySetRunbookState state, bool refresh, CancellationToken cancellationToken)
    {
        if (context.Buckets is not { } catalog) return new Found(null!, [], [], [], "The bucket catalog (dependents) is not configured in this dashboard.");
        var snapshot = await catalog.GetAsync(refresh, cancellationToken);
        if (snapshot.ReadAt is null) return new Found(null!, [], [], [], $"The account's buckets could not be listed: {snapshot.Error ?? "unknown error"}.");
        var current = await KeySetReader.AliasesAsync(context.Reader, state.OldRegions, state.OldKeyId, cancellationToken);
        var names = new OldKeyNames(state, current);
        var warnings = new List<string>();
        if (snapshot.Error is { } listError) warnings.Add($"The bucket list is from {snapshot.ReadAt:u}: listing again failed ({listError}).");
        var buckets = new List<BucketFacts>();
        var replication = new List<(BucketFacts, IReadOnlyList<ReplicationRuleFacts>)>();
        foreach (var bucket in snapshot.Buckets.Where(b => b.Region is not null && state.OldRegions.Contains(b.Region)))
        {
            if (bucket.Failing) warnings.Add($"s3://{bucket.Name} ({bucket.Region}) could not be read ({bucket.Error}): its last known configuration is used.");
            var startedHere = state.Reencrypt.Any(p => p.Bucket == bucket.Name);
            if (bucket.Encryption is { UsesKms: true } encryption
                && (startedHere || names.Classify(encryption.KmsMasterKeyId, bucket.Region!) != OldKeyNames.Kind.None))
                buckets.Add(bucket);
            var rules = bucket.ReplicationRules.Where(r => names.Classify(r.ReplicaKmsKeyId, bucket.Region!) == OldKeyNames.Kind.Direct).ToList();
            if (rules.Count > 0) replication.Add((bucket, rules));
        }
        foreach (var lost in state.Reencrypt.Where(p => !buckets.Any(b => b.Name == p.Bucket)))
            warnings.Add($"s3://{lost.Bucket} was being re-encrypted but no longer has a KMS default encryption or could not be found: it is left as it is ({lost.Progress}).");
        return new Found(names, buckets, replication, warnings, null);
    }

    /// <summary>Step 1's view of the S3 dependents (from the cached bucket catalog): one line per bucket and replication rule.</summary>
    internal static async Task<List<string>> DescribeDependentsAsync(StepContext context, KeySetRunbookState state, CancellationToken cancellationToken)
    {
        Found found;
        try { found = await FindAsync(context, state, refresh: false, cancellationToken); }
        catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken)) { return [$"S3 dependents could not be read: {StepContext.Describe(ex)}"]; }
        if (found.Problem is { } problem) return [$"S3 dependents could not be read: {problem}"];
        var lines = found.Buckets.Select(b => $"Bucket s3://{b.Name} ({b.Region}) encrypts by default under {b.Encryption!.KmsMasterKeyId}: step 6 re-encrypts it.").ToList();
        lines.AddRange(found.Replication.SelectMany(r => r.Rules.Select(rule =>
            $"Replication rule {rule.RuleId} of s3://{r.Bucket.Name} encrypts replicas under {rule.ReplicaKmsKeyId}: step 6 moves it to the new key.")));
        if (lines.Count == 0) lines.Add($"No bucket in {string.Join(", ", state.OldRegions)} names the old key in its default encryption or replication rules.");
        lines.AddRange(found.Warnings);
        return lines;
    }

    private static bool NeedsNewDefault(OldKeyNames names, string? current, string region) =>
        names.Classify(current, region) is OldKeyNames.Kind.Direct or OldKeyNames.Kind.OtherAlias;

    private static async Task UpdateDefaultAsync(StepContext context, KeySetRunbookState state, OldKeyNames names, BucketFacts bucket,
        BucketReencryption progress, CancellationToken cancellationToken)
    {
        var region = bucket.Region!;
        var s3 = context.S3(region);
        var read = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket.Name }, cancellationToken);
        // AWSSDK.S3 4.1 answers S3's 404 here with an empty response, not an exception.
        var rule = read.HttpStatusCode == HttpStatusCode.NotFound ? null : read.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault();
        var byDefault = rule?.ServerSideEncryptionByDefault;
        if (byDefault is null || !NeedsNewDefault(names, byDefault.ServerSideEncryptionKeyManagementServiceKeyId, region)) return;
        var target = state.AliasIn(region) ?? state.NewArns[region];
        var bucketKey = rule!.BucketKeyEnabled ?? false;
        await context.CallS3Async(region, "PutBucketEncryption", $"Bucket={bucket.Name}, KMSMasterKeyID={target}, BucketKeyEnabled={bucketKey}",
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
                                ServerSideEncryptionAlgorithm = byDefault.ServerSideEncryptionAlgorithm,
                                ServerSideEncryptionKeyManagementServiceKeyId = target,
                            },
                        },
                    ],
                },
            }, ct), cancellationToken);
        progress.DefaultUpdated = true;
        await context.SaveStateAsync(cancellationToken);
    }

    private static async Task ReencryptObjectsAsync(StepContext context, OldKeyNames names, BucketFacts bucket, BucketReencryption progress,
        string newArn, RequestPacer pacer, CancellationToken cancellationToken)
    {
        // In the user's name: in a member account its CloudTrail names the person behind every copy (and S3's KMS calls).
        var s3 = context.S3Writes(bucket.Region!);
        var bucketKey = bucket.Encryption?.BucketKeyEnabled ?? false;
        foreach (var failure in progress.Failed.ToList())
        {
            var outcome = await ObjectAsync(s3, names, bucket.Name, failure.Key, newArn, bucketKey, pacer, progress, cancellationToken);
            progress.Failed.RemoveAll(f => f.Key == failure.Key);
            if (outcome is { } error) progress.Failed.Add(new FailedObject(failure.Key, error));
            await context.SaveStateAsync(cancellationToken);
        }
        if (progress.Listed) return;

        string? token = null;
        do
        {
            // Resume after the last key done: a continuation token from before a crash may have expired.
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = bucket.Name, ContinuationToken = token, StartAfter = token is null ? progress.LastKey : null,
            }, cancellationToken);
            var objects = page.S3Objects ?? [];
            // A page listed again after a crash is not counted twice.
            var fresh = objects.Where(o => progress.ListedThrough is null || string.CompareOrdinal(o.Key, progress.ListedThrough) > 0).ToList();
            progress.ListedCount += fresh.Count;
            if (fresh.Count > 0) progress.ListedThrough = fresh[^1].Key;
            foreach (var item in objects)
            {
                var outcome = await ObjectAsync(s3, names, bucket.Name, item.Key, newArn, bucketKey, pacer, progress, cancellationToken);
                if (outcome is { } error) progress.Failed.Add(new FailedObject(item.Key, error));
                progress.LastKey = item.Key;
                await context.SaveStateAsync(cancellationToken);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            progress.ContinuationToken = token;
        }
        while (token is not null);
        progress.Listed = true;
    }

    /// <summary>Re-encrypts one object if it is under the old key; returns why it failed, or null.</summary>
    private static async Task<string?> ObjectAsync(IAmazonS3 s3, OldKeyNames names, string bucket, string key, string newArn, bool bucketKey,
        RequestPacer pacer, BucketReencryption progress, CancellationToken cancellationToken)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            var keyArn = head.ServerSideEncryptionKeyManagementServiceKeyId;
            if (keyArn == newArn) { progress.AlreadyNew++; return null; }
            if (!names.IsOldArn(keyArn)) { progress.Other++; return null; }
            await pacer.WaitAsync(cancellationToken);
            // An in-place copy must change something: the SSE-KMS key does, so metadata and tags are copied unchanged.
            await s3.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket, SourceKey = key, DestinationBucket = bucket, DestinationKey = key,
                MetadataDirective = S3MetadataDirective.COPY,
                ServerSideEncryptionMethod = head.ServerSideEncryptionMethod ?? ServerSideEncryptionMethod.AWSKMS,
                ServerSideEncryptionKeyManagementServiceKeyId = newArn,
                BucketKeyEnabled = bucketKey,
            }, cancellationToken);
            var verify = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            if (verify.ServerSideEncryptionKeyManagementServiceKeyId != newArn)
                return $"after CopyObject, HeadObject reports {verify.ServerSideEncryptionKeyManagementServiceKeyId ?? "no KMS key"}";
            progress.Copied++;
            return null;
        }
        catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
        {
            return StepContext.Describe(ex);
        }
    }

    private static async Task<string> UpdateReplicationAsync(StepContext context, KeySetRunbookState state, OldKeyNames names, BucketFacts bucket,
        CancellationToken cancellationToken)
    {
        var region = bucket.Region!;
        var read = await context.S3(region).GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket.Name }, cancellationToken);
        // AWSSDK.S3 4.1 answers S3's 404 here with an empty response, not an exception.
        var configuration = read.HttpStatusCode == HttpStatusCode.NotFound ? null : read.Configuration;
        var changed = new List<string>();
        foreach (var rule in configuration?.Rules ?? [])
        {
            var encryption = rule.Destination?.EncryptionConfiguration;
            if (encryption?.ReplicaKmsKeyID is not { } old || names.Classify(old, region) != OldKeyNames.Kind.Direct) continue;
            encryption.ReplicaKmsKeyID = NewReplicaKey(state, old, region)
                ?? throw new RunbookStepException($"Rule {rule.Id} encrypts replicas under {old}, and the new key has no replica in {OldKeyNames.RegionOf(old, region)}.");
            changed.Add($"{rule.Id}: {old} → {encryption.ReplicaKmsKeyID}");
        }
        if (changed.Count == 0) return "No rule names the old replica key any more.";
        await context.CallS3Async(region, "PutBucketReplication", $"Bucket={bucket.Name}, {string.Join("; ", changed)}",
            (client, ct) => client.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket.Name, Configuration = configuration }, ct),
            cancellationToken);
        return "Replica key updated: " + string.Join("; ", changed) + ".";
    }

    private static string? NewReplicaKey(KeySetRunbookState state, string oldReference, string bucketRegion) =>
        state.NewArns.GetValueOrDefault(OldKeyNames.RegionOf(oldReference, bucketRegion));

    private sealed record Found(OldKeyNames Names, List<BucketFacts> Buckets,
        List<(BucketFacts Bucket, IReadOnlyList<ReplicationRuleFacts> Rules)> Replication, List<string> Warnings, string? Problem);
}
