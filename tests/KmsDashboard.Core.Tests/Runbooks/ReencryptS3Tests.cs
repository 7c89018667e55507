using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>Step 6 of the manual rotation against the sandbox's S3: bucket defaults, objects copied in place, replication rules, resume.</summary>
public sealed class ReencryptS3Tests
{
    private const int EastObjects = 30, WestObjects = 20;

    [Fact]
    public async Task ReencryptsEveryDependentBucketAndAKillInTheMiddleRepeatsNoCopyObject()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var s3 = h.Server.Services.GetRequiredService<S3SandboxState>();
        var oldEast = (await h.DescribeAsync("us-east-1", oldKeyId)).Arn;
        var oldEu = (await h.DescribeAsync("eu-west-1", oldKeyId)).Arn;

        // orders names the old key by ARN (bucket keys on) and replicates into eu-west-1 under the old key's replica;
        // reports names it by the alias; photos uses SSE-S3 and must not be touched.
        s3.CreateBucket("us-east-1", "orders");
        s3.CreateBucket("eu-west-1", "orders-replica");
        s3.SetVersioning("orders", true);
        s3.SetVersioning("orders-replica", true);
        s3.SetDefaultKmsEncryption("orders", oldEast, bucketKeyEnabled: true);
        s3.SetReplication("orders", new BucketReplication("arn:aws:iam::111122223333:role/replication",
            [new KmsDashboard.Sandbox.S3.BucketReplicationRule("to-eu", "orders-replica", oldEu, Prefix: "replicated/")]));
        s3.CreateBucket("us-west-2", "reports");
        s3.SetDefaultKmsEncryption("reports", "alias/payments");
        s3.CreateBucket("us-east-1", "photos");
        s3.SetDefaultEncryption("photos", new BucketEncryption(BucketEncryption.S3Managed, null, false));
        for (var i = 0; i < EastObjects; i++) s3.PutObject("orders", $"o/{i:D3}", [1, 2, (byte)i], oldKeyId);
        for (var i = 0; i < WestObjects; i++) s3.PutObject("reports", $"r/{i:D3}", [3, 4, (byte)i], oldKeyId);
        s3.PutObject("photos", "p/1", [5]);

        // Both buckets keep versions: each in-place CopyObject makes a new current version id.
        s3.SetVersioning("reports", true);

        var id = await h.StartRotationAsync(oldKeyId);
        var choose = await h.Runbooks.PlanStepAsync(Operator, id, null, default);
        Assert.Contains(choose.Notes, n => n.StartsWith("Bucket s3://orders (us-east-1)", StringComparison.Ordinal));
        Assert.Contains(choose.Notes, n => n.StartsWith("Bucket s3://reports (us-west-2)", StringComparison.Ordinal));
        Assert.Contains(choose.Notes, n => n.StartsWith("Replication rule to-eu of s3://orders", StringComparison.Ordinal));
        Assert.DoesNotContain(choose.Notes, n => n.Contains("photos", StringComparison.Ordinal));
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify" }) await h.RunStepAsync(id, step);
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;
        var newArns = new Dictionary<string, string>();
        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" }) newArns[region] = (await h.DescribeAsync(region, newKeyId)).Arn;

        // The plan says what it will do before doing it.
        var plan = await h.Runbooks.PlanStepAsync(Operator, id, null, default);
        Assert.Equal("reencrypt-s3", plan.StepName);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        var put = Assert.Single(plan.Calls, c => c.Operation == "PutBucketEncryption");
        Assert.Contains("Bucket=orders,", put.Parameters, StringComparison.Ordinal);
        Assert.Contains("KMSMasterKeyID=alias/payments", put.Parameters, StringComparison.Ordinal);
        Assert.Contains(plan.Calls, c => c.Operation.StartsWith("ListObjectsV2", StringComparison.Ordinal) && c.Parameters.Contains("Bucket=orders,", StringComparison.Ordinal)
                                         && c.Purpose.StartsWith($"{EastObjects} objects", StringComparison.Ordinal));
        Assert.Contains(plan.Calls, c => c.Operation.StartsWith("ListObjectsV2", StringComparison.Ordinal) && c.Parameters.Contains("Bucket=reports,", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Calls, c => c.Parameters.Contains("photos", StringComparison.Ordinal));
        Assert.Single(plan.Calls, c => c.Operation == "PutBucketReplication" && c.Parameters.Contains(newArns["eu-west-1"], StringComparison.Ordinal));

        // Killed in the middle of the objects (once 12 are under the new key): the step stays Running with its position saved.
        using var cancel = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (s3.ListObjects("orders").Concat(s3.ListObjects("reports")).Count(o => o.KmsKeyArn == newArns["us-east-1"] || o.KmsKeyArn == newArns["us-west-2"]) < 12)
                await Task.Delay(2);
            await cancel.CancelAsync();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Runbooks.ExecuteAsync(Operator, plan, null, cancel.Token));
        var halfway = await h.StateAsync(id);
        await watcher;
        Assert.InRange(halfway.Reencrypt.Sum(b => b.Copied), 1, EastObjects + WestObjects - 1);
        var copiedBeforeKill = s3.ListObjects("orders").Concat(s3.ListObjects("reports"))
            .Where(o => newArns.ContainsValue(o.KmsKeyArn!)).ToDictionary(o => o.Bucket + "/" + o.Key, o => o.VersionId);
        Assert.InRange(copiedBeforeKill.Count, 12, EastObjects + WestObjects - 1);
        await h.RestartAsync();

        var result = await h.RunStepAsync(id, "reencrypt-s3");

        Assert.Equal(RunbookStepState.Done, result.State);
        // No object copied before the kill was copied again: its current version is the one that copy made.
        foreach (var o in s3.ListObjects("orders").Concat(s3.ListObjects("reports")).Where(o => copiedBeforeKill.ContainsKey(o.Bucket + "/" + o.Key)))
            Assert.Equal(copiedBeforeKill[o.Bucket + "/" + o.Key], o.VersionId);
        foreach (var o in s3.ListObjects("orders")) Assert.Equal(newArns["us-east-1"], o.KmsKeyArn);
        foreach (var o in s3.ListObjects("reports")) Assert.Equal(newArns["us-west-2"], o.KmsKeyArn);
        Assert.Equal(BucketEncryption.S3Managed, s3.HeadObject("photos", "p/1")!.ServerSideEncryption);
        var orders = s3.GetBucket("orders")!;
        Assert.Equal(new BucketEncryption(BucketEncryption.Kms, "alias/payments", true), orders.DefaultEncryption);
        Assert.Equal(newArns["eu-west-1"], Assert.Single(orders.Replication!.Rules).ReplicaKmsKeyId);
        Assert.Equal("alias/payments", s3.GetBucket("reports")!.DefaultEncryption!.KmsMasterKeyId);
        Assert.Equal(BucketEncryption.S3Managed, s3.GetBucket("photos")!.DefaultEncryption!.Algorithm);

        var done = await h.StateAsync(id);
        Assert.All(done.Reencrypt, b => Assert.True(b.Complete, b.Progress));
        Assert.Equal(EastObjects + WestObjects, done.Reencrypt.Sum(b => b.ListedCount));
        Assert.Equal(EastObjects + WestObjects, done.Reencrypt.Sum(b => b.Copied + b.AlreadyNew));
        // The resumed run went on after the last verified object: at most the one copied as the kill came is found done again.
        Assert.InRange(done.Reencrypt.Sum(b => b.AlreadyNew), 0, 1);

        // The sandbox's CloudTrail (management events; CopyObject is a data event, checked above by version ids): the bucket
        // default and the replication rule were each set once, across the kill.
        Assert.Equal(1, h.Count("PutBucketEncryption"));
        Assert.Equal(1, h.Count("PutBucketReplication"));

        Assert.Equal("watch", (await h.Runbooks.GetAsync(id, default))!.Current!.Name);
    }

    [Fact]
    public async Task AnObjectThatFailsIsListedAndRetriedWhenTheStepRunsAgain()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync(replicas: []);
        var s3 = h.Server.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", "ledger");
        s3.SetDefaultKmsEncryption("ledger", oldKeyId);
        for (var i = 0; i < 5; i++) s3.PutObject("ledger", $"l/{i}", [(byte)i], oldKeyId);

        var id = await h.StartRotationAsync(oldKeyId);
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify" }) await h.RunStepAsync(id, step);
        // S3 refuses the copies while the new key is disabled (it cannot seal them under it).
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;
        await h.Kms("us-east-1").DisableKeyAsync(new Amazon.KeyManagementService.Model.DisableKeyRequest { KeyId = newKeyId });
        var failed = await h.RunStepAsync(id, "reencrypt-s3", expected: RunbookStepState.Failed);
        await h.Kms("us-east-1").EnableKeyAsync(new Amazon.KeyManagementService.Model.EnableKeyRequest { KeyId = newKeyId });
        Assert.Contains("failed", failed.Summary, StringComparison.Ordinal);

        var state = await h.StateAsync(id);
        var bucket = Assert.Single(state.Reencrypt);
        Assert.Equal(5, bucket.Failed.Count + bucket.Copied);
        Assert.NotEmpty(bucket.Failed);

        var retried = await h.RunStepAsync(id, "reencrypt-s3");

        Assert.Equal(RunbookStepState.Done, retried.State);
        var newArn = (await h.DescribeAsync("us-east-1", newKeyId)).Arn;
        Assert.All(s3.ListObjects("ledger"), o => Assert.Equal(newArn, o.KmsKeyArn));
        Assert.Empty(Assert.Single((await h.StateAsync(id)).Reencrypt).Failed);
    }
}
