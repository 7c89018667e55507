using System.Collections.Immutable;
using System.Diagnostics;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// The reachability and round-trip latency of every configured Region, measured with a cheap KMS call
/// (ListAliases, Limit 1). Shared by all circuits; <see cref="RegionHealthMonitor"/> probes periodically.
/// </summary>
public sealed class RegionHealth : IDisposable
{
    private readonly AwsClients _clients;
    private readonly RegionHealthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RegionHealth> _logger;
    private readonly Dictionary<string, IAmazonKeyManagementService> _probeClients;
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, RegionStatus> _status;
    private ImmutableArray<Action> _listeners = [];

    public RegionHealth(AwsClients clients, IOptions<RegionHealthOptions> options, TimeProvider time, ILogger<RegionHealth> logger)
    {
        _clients = clients;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // Probes get their own clients without retries, so that latency is one round trip and an outage shows at once.
        _probeClients = clients.Regions.ToDictionary(r => r, r => (IAmazonKeyManagementService)new AmazonKeyManagementServiceClient(
            clients.Credentials,
            clients.Configure(new AmazonKeyManagementServiceConfig { MaxErrorRetry = 0, Timeout = _options.ProbeTimeout }, r)),
            StringComparer.Ordinal);
        _status = clients.Regions.ToImmutableDictionary(r => r, r => new RegionStatus(r, RegionReachability.Unknown), StringComparer.Ordinal);
    }

    /// <summary>Every configured Region's status, in configuration order.</summary>
    public IReadOnlyList<RegionStatus> Regions
    {
        get
        {
            var status = _status;
            return [.. _clients.Regions.Select(r => status[r])];
        }
    }

    public TimeSpan ProbeInterval => _options.ProbeInterval;

    /// <summary>The status of one configured Region.</summary>
    public RegionStatus For(string region) => _status.TryGetValue(region, out var status)
        ? status
        : throw new ArgumentException($"'{region}' is not one of the configured Regions.", nameof(region));

    /// <summary>Calls <paramref name="listener"/> after any Region's status was updated. Dispose to unsubscribe.</summary>
    public IDisposable Changed(Action listener)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _listeners = _listeners.Add(listener);
            if (_listeners.Length == 1) wake = Interlocked.Exchange(ref _watched, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        wake?.TrySetResult();
        return new Subscription(() => { lock (_gate) _listeners = _listeners.Remove(listener); });
    }

    private TaskCompletionSource _watched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a page is watching Region health now (the monitor probes less often while none is).</summary>
    public bool IsWatched => !_listeners.IsEmpty;

    /// <summary>Completes when a page starts watching after none did.</summary>
    public Task WatchedAgain => Volatile.Read(ref _watched).Task;

    /// <summary>Time between probe rounds while no page watches.</summary>
    public TimeSpan IdleProbeInterval => _options.IdleProbeInterval;

    /// <summary>Probes all Regions in parallel; one Region's failure never affects another's result.</summary>
    public Task ProbeAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_clients.Regions.Select(r => ProbeAsync(r, cancellationToken)));

    /// <summary>Probes one Region now and records what it found.</summary>
    public async Task<RegionStatus> ProbeAsync(string region, CancellationToken cancellationToken = default)
    {
        var client = _probeClients.TryGetValue(region, out var c)
            ? c
            : throw new ArgumentException($"'{region}' is not one of the configured Regions.", nameof(region));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ProbeTimeout);
        var started = Stopwatch.GetTimestamp();
        RegionReachability reachability;
        TimeSpan? latency = null;
        string? error = null;
        try
        {
            await client.ListAliasesAsync(new ListAliasesRequest { Limit = 1 }, timeout.Token);
            latency = Stopwatch.GetElapsedTime(started);
            reachability = RegionReachability.Reachable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reachability = RegionReachability.Unreachable;
            error = $"No answer within {_options.ProbeTimeout.TotalSeconds:0.#} s.";
        }
        catch (AmazonServiceException ex) when ((int)ex.StatusCode >= 500 || ex.StatusCode == 0)
        {
            reachability = RegionReachability.Unreachable;
            error = Describe(ex);
        }
        catch (AmazonServiceException ex)
        {
            // It answered: the Region is there, but this deployment cannot use it as-is (throttled, denied...).
            latency = Stopwatch.GetElapsedTime(started);
            reachability = RegionReachability.Degraded;
            error = Describe(ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException or TimeoutException)
        {
            reachability = RegionReachability.Unreachable;
            error = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
        }
        return Record(region, reachability, latency, error);
    }

    private RegionStatus Record(string region, RegionReachability reachability, TimeSpan? latency, string? error)
    {
        var now = _time.GetUtcNow();
        RegionStatus updated;
        lock (_gate)
        {
            var previous = _status[region];
            var downSince = reachability == RegionReachability.Unreachable ? previous.DownSince ?? now : (DateTimeOffset?)null;
            updated = new RegionStatus(region, reachability, latency, now, error, downSince);
            _status = _status.SetItem(region, updated);
            if (previous.Reachability != reachability)
                LogTransition(previous, updated);
        }
        foreach (var listener in _listeners)
        {
            try { listener(); }
            catch (Exception ex) { _logger.LogWarning(ex, "A Region health listener failed"); }
        }
        return updated;
    }

    private void LogTransition(RegionStatus previous, RegionStatus updated)
    {
        if (updated.Reachability == RegionReachability.Unreachable)
            _logger.LogWarning("Region {Region} is unreachable: {Error}", updated.Region, updated.LastError);
        else if (previous.Reachability != RegionReachability.Unknown || updated.Reachability != RegionReachability.Reachable)
            _logger.LogInformation("Region {Region} is {Reachability} (was {Previous})", updated.Region, updated.Reachability, previous.Reachability);
    }

    private static string Describe(AmazonServiceException ex) =>
        string.IsNullOrEmpty(ex.ErrorCode) ? $"{(int)ex.StatusCode}: {ex.Message}" : $"{ex.ErrorCode}: {ex.Message}";

    public void Dispose()
    {
        foreach (var client in _probeClients.Values) client.Dispose();
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
