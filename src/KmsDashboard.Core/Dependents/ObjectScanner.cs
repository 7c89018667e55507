using System.Diagnostics;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Counts a bucket's objects per KMS key: ListObjectsV2 pages (the next one listed while the current one is read) and
/// a HeadObject per object, at most <see cref="DependentsOptions.ScanConcurrency"/> at once and
/// <see cref="DependentsOptions.ScanRequestsPerSecond"/> a second. Memory holds two pages at most, whatever the bucket
/// holds. After every whole page the counts and the next continuation token are saved, so a cancelled or failed scan
/// resumes there and counts no object twice.
/// </summary>
public sealed class ObjectScanner(AwsClients clients, ObjectScanStore store, IOptions<DependentsOptions> options, ILogger<ObjectScanner> logger, TimeProvider? time = null,
    Aws.Accounts.AwsAccounts? accounts = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly DependentsOptions _options = options.Value;

    public ObjectScanStore Store => store;

    /// <summary>Why a scan in <paramref name="account"/> cannot run ("" is the single account), or null.</summary>
    public string? AccountProblem(string? account)
    {
        if (accounts is not { MultiAccount: true } multi)
            return string.IsNullOrEmpty(account) ? null : $"The dashboard reads one account, so no account is chosen (got {account}).";
        if (string.IsNullOrEmpty(account)) return "Choose the bucket's account: the dashboard reads several accounts.";
        if (!Aws.Accounts.AccountRules.IsAccountId(account)) return $"'{account}' is not an AWS account id (12 digits).";
        return multi.Find(account) is null ? $"Account {account} is not one of the dashboard's accounts." : null;
    }

    /// <summary>S3 of the bucket's account: the dashboard's own clients, or the account's (its assumed role).</summary>
    private AwsClients ClientsOf(string account) =>
        string.IsNullOrEmpty(account) || accounts is not { MultiAccount: true } multi ? clients
            : multi.Clients(multi.Find(account) ?? throw new ArgumentException($"Account {account} is not one of the dashboard's accounts.", nameof(account)));

    /// <summary>
    /// Scans <paramref name="bucket"/> in <paramref name="region"/>, resuming a cancelled or failed scan when
    /// <paramref name="resume"/> says so. Returns the completed (or failed) state; cancelling saves the state of the last
    /// whole page and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<ObjectScanState> RunAsync(string bucket, string region, bool resume, IProgress<ObjectScanProgress>? progress, CancellationToken cancellationToken,
        string? account = null)
    {
        if (!ObjectScanStore.IsBucketName(bucket)) throw new ArgumentException($"'{bucket}' is not an S3 bucket name.", nameof(bucket));
        if (!BackendOptions.IsRegionName(region)) throw new ArgumentException($"'{region}' is not an AWS Region name.", nameof(region));
        if (AccountProblem(account) is { } problem) throw new ArgumentException(problem, nameof(account));
        account ??= "";
        var saved = resume ? store.Load(bucket, account) : null;
        var state = saved is { Resumable: true } && saved.Region == region
            ? saved with { Status = ObjectScanStatus.Running, Error = null, Account = account }
            : new ObjectScanState { Bucket = bucket, Account = account, Region = region, StartedAt = _time.GetUtcNow(), UpdatedAt = _time.GetUtcNow(), Status = ObjectScanStatus.Running };
        logger.LogInformation("Object scan of {Bucket} in {Region} {How} at {Objects} objects", bucket, region, state.PagesDone > 0 ? "resumed" : "started", state.ObjectsScanned);

        var s3 = ClientsOf(account).S3(region);
        var pacer = new RequestPacer(_options.ScanRequestsPerSecond, _time, TimeSpan.FromMilliseconds(100));
        var counts = new Dictionary<string, long>(state.CountsByKey, StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        Task<ListObjectsV2Response>? listing = null;
        try
        {
            listing = ListAsync(s3, pacer, bucket, state.ContinuationToken, _options.ScanPageSize, cancellationToken);
            while (true)
            {
                var page = await listing!;
                listing = null;
                var next = page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken) ? page.NextContinuationToken : null;
                if (next is not null) listing = ListAsync(s3, pacer, bucket, next, _options.ScanPageSize, cancellationToken);

                var pageCounts = new Dictionary<string, long>(StringComparer.Ordinal);
                long pageObjects = 0, vanished = 0;
                var gate = new Lock();
                await Parallel.ForEachAsync(page.S3Objects ?? [], new ParallelOptions { MaxDegreeOfParallelism = _options.ScanConcurrency, CancellationToken = cancellationToken },
                    async (item, token) =>
                    {
                        await pacer.WaitAsync(token);
                        var label = await ClassifyAsync(s3, bucket, item.Key, token);
                        ObjectScanProgress? report = null;
                        lock (gate)
                        {
                            if (label is null) vanished++;
                            else pageCounts[label] = pageCounts.GetValueOrDefault(label) + 1;
                            pageObjects++;
                            if (progress is not null && clock.Elapsed - lastReport >= ProgressInterval)
                            {
                                lastReport = clock.Elapsed;
                                report = new ObjectScanProgress(bucket, ObjectScanStatus.Running, state.ObjectsScanned + pageObjects, state.PagesDone,
                                    Merge(counts, pageCounts), clock.Elapsed);
                            }
                        }
                        if (report is not null) progress!.Report(report);
                    });

                foreach (var (key, count) in pageCounts) counts[key] = counts.GetValueOrDefault(key) + count;
                state = state with
                {
                    ObjectsScanned = state.ObjectsScanned + pageObjects - vanished,
                    Vanished = state.Vanished + vanished,
                    PagesDone = state.PagesDone + 1,
                    ContinuationToken = next,
                    CountsByKey = new Dictionary<string, long>(counts, StringComparer.Ordinal),
                    UpdatedAt = _time.GetUtcNow(),
                };
                if (next is null) break;
                await store.SaveAsync(state, CancellationToken.None);
                progress?.Report(new ObjectScanProgress(bucket, ObjectScanStatus.Running, state.ObjectsScanned, state.PagesDone, state.CountsByKey, clock.Elapsed));
            }
            state = state with { Status = ObjectScanStatus.Completed, CompletedAt = _time.GetUtcNow() };
            await store.SaveAsync(state, CancellationToken.None);
            progress?.Report(new ObjectScanProgress(bucket, state.Status, state.ObjectsScanned, state.PagesDone, state.CountsByKey, clock.Elapsed));
            logger.LogInformation("Object scan of {Bucket} completed: {Objects} objects in {Seconds:0.0} s", bucket, state.ObjectsScanned, clock.Elapsed.TotalSeconds);
            return state;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Forget(listing);
            state = state with { Status = ObjectScanStatus.Cancelled };
            await store.SaveAsync(state, CancellationToken.None);
            progress?.Report(new ObjectScanProgress(bucket, state.Status, state.ObjectsScanned, state.PagesDone, state.CountsByKey, clock.Elapsed));
            logger.LogInformation("Object scan of {Bucket} cancelled after {Objects} objects", bucket, state.ObjectsScanned);
            throw;
        }
        catch (Exception ex) when (BucketCatalog.IsAwsFailure(ex))
        {
            Forget(listing);
            state = state with { Status = ObjectScanStatus.Failed, Error = BucketCatalog.Describe(ex) };
            await store.SaveAsync(state, CancellationToken.None);
            progress?.Report(new ObjectScanProgress(bucket, state.Status, state.ObjectsScanned, state.PagesDone, state.CountsByKey, clock.Elapsed, state.Error));
            logger.LogWarning("Object scan of {Bucket} failed after {Objects} objects: {Error}", bucket, state.ObjectsScanned, state.Error);
            return state;
        }
    }

    private static async Task<ListObjectsV2Response> ListAsync(IAmazonS3 s3, RequestPacer pacer, string bucket, string? token, int pageSize, CancellationToken cancellationToken)
    {
        await pacer.WaitAsync(cancellationToken);
        return await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token, MaxKeys = pageSize }, cancellationToken);
    }

    /// <summary>The object's key ARN, <c>AES256</c> or <c>none</c>; null when the object is gone.</summary>
    private static async Task<string?> ClassifyAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken);
            var method = head.ServerSideEncryptionMethod?.Value;
            if (method is not null && method.StartsWith("aws:kms", StringComparison.Ordinal))
                return string.IsNullOrEmpty(head.ServerSideEncryptionKeyManagementServiceKeyId) ? method : head.ServerSideEncryptionKeyManagementServiceKeyId;
            return method == ObjectScanState.SseS3 ? ObjectScanState.SseS3 : ObjectScanState.NotEncrypted;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static Dictionary<string, long> Merge(Dictionary<string, long> counts, Dictionary<string, long> page)
    {
        var merged = new Dictionary<string, long>(counts, StringComparer.Ordinal);
        foreach (var (key, count) in page) merged[key] = merged.GetValueOrDefault(key) + count;
        return merged;
    }

    /// <summary>A prefetched page nobody will read: its failure must not go unobserved.</summary>
    private static void Forget(Task? task) => task?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
