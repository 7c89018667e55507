using KmsDashboard.Core.Dependents;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>The object scan over the sandbox's S3: counts per key, cancel and resume without double counting, a failing Region.</summary>
public sealed class ObjectScanTests : IAsyncLifetime
{
    private const string Bucket = "half-migrated";
    private DependentsHarness _harness = null!;
    private string _oldKey = "", _newKey = "";

    public async Task InitializeAsync()
    {
        // Small pages and a slow pace, so a scan lasts long enough to be cancelled part-way.
        _harness = await DependentsHarness.StartAsync(new()
        {
            ["Dependents:ScanPageSize"] = "40",
            ["Dependents:ScanRequestsPerSecond"] = "400",
            ["Dependents:ScanConcurrency"] = "8",
        });
        _oldKey = (await _harness.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest())).KeyMetadata.Arn;
        _newKey = (await _harness.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest())).KeyMetadata.Arn;
        var s3 = _harness.Server.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", Bucket);
        for (var i = 0; i < 150; i++) s3.PutObject(Bucket, $"old/{i:D4}", [1], _oldKey);
        for (var i = 0; i < 80; i++) s3.PutObject(Bucket, $"new/{i:D4}", [2], _newKey);
        for (var i = 0; i < 20; i++) s3.PutObject(Bucket, $"plain/{i:D4}", [3]);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ObjectsAreCountedPerKey()
    {
        var reports = new List<ObjectScanProgress>();
        var state = await _harness.Scanner.RunAsync(Bucket, "us-east-1", resume: false, new SyncProgress(p => { lock (reports) reports.Add(p); }), CancellationToken.None);

        Assert.Equal(ObjectScanStatus.Completed, state.Status);
        Assert.Equal(250, state.ObjectsScanned);
        Assert.Equal(7, state.PagesDone);
        Assert.Equal(150, state.CountsByKey[_oldKey]);
        Assert.Equal(80, state.CountsByKey[_newKey]);
        Assert.Equal(20, state.CountsByKey[ObjectScanState.SseS3]);
        Assert.NotNull(state.CompletedAt);
        Assert.Equal(state, _harness.Scanner.Store.Load(Bucket)! with { CountsByKey = state.CountsByKey });
        Assert.Equal(state.CountsByKey, _harness.Scanner.Store.Load(Bucket)!.CountsByKey);
        Assert.Contains(reports, r => r.Status == ObjectScanStatus.Completed);
    }

    [Fact]
    public async Task ACancelledScanResumesFromItsLastWholePageWithoutCountingTwice()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.PagesDone >= 2) cancel.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.Scanner.RunAsync(Bucket, "us-east-1", resume: false, progress, cancel.Token));

        var saved = _harness.Scanner.Store.Load(Bucket)!;
        Assert.Equal(ObjectScanStatus.Cancelled, saved.Status);
        Assert.True(saved.PagesDone is >= 2 and < 7, $"saved after {saved.PagesDone} pages");
        Assert.Equal(saved.PagesDone * 40, saved.ObjectsScanned);
        Assert.NotNull(saved.ContinuationToken);

        var resumed = await _harness.Scanner.RunAsync(Bucket, "us-east-1", resume: true, null, CancellationToken.None);

        Assert.Equal(ObjectScanStatus.Completed, resumed.Status);
        Assert.Equal(saved.StartedAt, resumed.StartedAt);
        Assert.Equal(250, resumed.ObjectsScanned);
        Assert.Equal(150, resumed.CountsByKey[_oldKey]);
        Assert.Equal(80, resumed.CountsByKey[_newKey]);
        Assert.Null(resumed.ContinuationToken);
    }

    [Fact]
    public async Task AScanInAFailingRegionStopsAsFailedAndResumesOnceTheRegionIsBack()
    {
        var progress = new SyncProgress(p =>
        {
            if (p.PagesDone >= 1) _harness.Faults.Set("us-east-1", new RegionFault(Outage: true));
        });

        var failed = await _harness.Scanner.RunAsync(Bucket, "us-east-1", resume: false, progress, CancellationToken.None);
        _harness.Faults.Clear("us-east-1");

        Assert.Equal(ObjectScanStatus.Failed, failed.Status);
        Assert.NotNull(failed.Error);
        Assert.True(failed.Resumable);
        var resumed = await _harness.Scanner.RunAsync(Bucket, "us-east-1", resume: true, null, CancellationToken.None);
        Assert.Equal(250, resumed.ObjectsScanned);
        Assert.Equal(20, resumed.CountsByKey[ObjectScanState.SseS3]);
    }

    [Fact]
    public async Task BackgroundScansRefuseASecondScanOfTheSameBucketAndCanBeCancelled()
    {
        Assert.True(_harness.Scans.TryStart(Bucket, "us-east-1", resume: false, out _));
        Assert.False(_harness.Scans.TryStart(Bucket, "us-east-1", resume: false, out var refusal));
        Assert.Contains("already running", refusal, StringComparison.Ordinal);
        Assert.False(_harness.Scans.TryStart("Not_A_Bucket", "us-east-1", resume: false, out var bad));
        Assert.Contains("not an S3 bucket name", bad, StringComparison.Ordinal);

        Assert.True(_harness.Scans.Cancel(Bucket));
        await _harness.Scans.WhenStoppedAsync(Bucket);

        Assert.Null(_harness.Scans.Running(Bucket));
        Assert.Equal(ObjectScanStatus.Cancelled, _harness.Scans.Saved(Bucket)!.Status);
    }

    private sealed class SyncProgress(Action<ObjectScanProgress> report) : IProgress<ObjectScanProgress>
    {
        public void Report(ObjectScanProgress value) => report(value);
    }
}
