using System.Collections.Concurrent;
using System.Security.Claims;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Object scans running in the background, one per bucket, shared by every user: a page starts, watches, cancels or
/// resumes them, and leaving the page does not stop them. Progress is pushed to subscribers. With several accounts a scan
/// is one account's bucket, read through that account's clients and saved apart.
/// </summary>
public sealed class ObjectScans(ObjectScanner scanner, IAuthorizationService authorization, ILogger<ObjectScans> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Action<string>[] _listeners = [];

    /// <summary>The running scan's latest progress, or null when none runs for the bucket (of <paramref name="account"/>; "" is the single account).</summary>
    public ObjectScanProgress? Running(string bucket, string? account = null) => _runs.TryGetValue(RunKey(account, bucket), out var run) ? run.Latest : null;

    /// <summary>The last saved state of the bucket's scan (completed, cancelled, failed, or mid-way).</summary>
    public ObjectScanState? Saved(string bucket, string? account = null) =>
        ObjectScanStore.IsBucketName(bucket) && (string.IsNullOrEmpty(account) || Aws.Accounts.AccountRules.IsAccountId(account)) ? scanner.Store.Load(bucket, account) : null;

    private static string RunKey(string? account, string bucket) => string.IsNullOrEmpty(account) ? bucket : $"{account}/{bucket}";

    /// <summary>Starts (or resumes) a scan for a signed-in dashboard user (a scan only reads: any role may run one).</summary>
    public async Task<(bool Started, string? Refusal)> TryStartAsync(ClaimsPrincipal user, string bucket, string region, bool resume, string? account = null)
    {
        if (!(await authorization.AuthorizeAsync(user, null, DashboardPolicies.CanRead)).Succeeded)
            return (false, "Sign in with a dashboard role to scan a bucket.");
        var started = TryStart(bucket, region, resume, out var refusal, account);
        if (started) logger.LogInformation("Object scan of {Bucket} in {Region} {How} by {User}", bucket, region, resume ? "resumed" : "started", DashboardUser.From(user).Name);
        return (started, refusal);
    }

    /// <summary>Starts (or resumes) a scan; false with a reason when one already runs for the bucket or the input is bad.</summary>
    public bool TryStart(string bucket, string region, bool resume, out string? refusal, string? account = null)
    {
        if (!ObjectScanStore.IsBucketName(bucket)) { refusal = $"'{bucket}' is not an S3 bucket name."; return false; }
        if (!Aws.BackendOptions.IsRegionName(region)) { refusal = $"'{region}' is not an AWS Region name."; return false; }
        if (scanner.AccountProblem(account) is { } accountProblem) { refusal = accountProblem; return false; }
        var key = RunKey(account, bucket);
        var run = new Run(CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            Latest = new ObjectScanProgress(bucket, ObjectScanStatus.Running, 0, 0, new Dictionary<string, long>(), TimeSpan.Zero),
        };
        if (!_runs.TryAdd(key, run))
        {
            run.Cancellation.Dispose();
            refusal = $"A scan of {bucket} is already running.";
            return false;
        }
        refusal = null;
        var progress = new Progress(p => { run.Latest = p; Notify(bucket); });
        run.Task = Task.Run(async () =>
        {
            try
            {
                await scanner.RunAsync(bucket, region, resume, progress, run.Cancellation.Token, account);
            }
            catch (OperationCanceledException)
            {
                // Saved as cancelled by the scanner; resumable.
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Object scan of {Bucket} stopped unexpectedly", bucket);
            }
            finally
            {
                _runs.TryRemove(key, out _);
                run.Cancellation.Dispose();
                Notify(bucket);
            }
        });
        Notify(bucket);
        return true;
    }

    /// <summary>Asks the bucket's scan to stop after the requests under way; false when none runs.</summary>
    public bool Cancel(string bucket, string? account = null)
    {
        if (!_runs.TryGetValue(RunKey(account, bucket), out var run)) return false;
        try { run.Cancellation.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }

    /// <summary>Waits for the bucket's running scan to end (tests, shutdown).</summary>
    public Task WhenStoppedAsync(string bucket, string? account = null) => _runs.TryGetValue(RunKey(account, bucket), out var run) && run.Task is { } task ? task : Task.CompletedTask;

    /// <summary>Calls <paramref name="listener"/> with the bucket's name whenever a scan starts, progresses or stops. Dispose to stop.</summary>
    public IDisposable Changed(Action<string> listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Subscription(() => { lock (_gate) _listeners = [.. _listeners.Where(l => l != listener)]; });
    }

    private void Notify(string bucket)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try { listener(bucket); }
            catch (Exception ex) { logger.LogWarning(ex, "An object scan listener failed"); }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed class Run(CancellationTokenSource cancellation)
    {
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public volatile ObjectScanProgress? Latest;
        public Task? Task { get; set; }
    }

    /// <summary>Reports on the reporting thread (System.Progress would post to a captured context).</summary>
    private sealed class Progress(Action<ObjectScanProgress> report) : IProgress<ObjectScanProgress>
    {
        public void Report(ObjectScanProgress value) => report(value);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
