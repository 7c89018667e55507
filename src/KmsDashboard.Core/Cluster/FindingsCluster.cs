using KmsDashboard.Core.Findings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// The findings' share of the cluster. The leader (the instance leading the inventory) evaluates and stores the findings in
/// the shared store, then sends <c>findings:{answered}:{instance}</c>; followers reload what it stored. A follower's
/// "evaluate now" is <c>evaluate:{id}:{instance}</c> to the leader, answered by the next evaluation it begins (or by
/// <c>evaluation-failed:{ids}:{reason}</c>). Requests still waiting when the leader changes are sent again to the new one.
/// Notices arrive through <see cref="InventoryLeadership"/>'s LISTEN connection.
/// </summary>
public sealed class FindingsCluster : IFindingsCluster
{
    /// <summary>At most this many answered requests are named in one notice (NOTIFY carries 8000 bytes); more are rare and wait for the next.</summary>
    private const int MaxAnswered = 400;

    private readonly ClusterDatabase _database;
    private readonly InventoryCluster _inventory;
    private readonly ClusterOptions _options;
    private readonly ILogger<FindingsCluster> _logger;
    private readonly Lock _gate = new();
    private readonly List<string> _asked = [];
    private readonly Dictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private (Func<CancellationToken, Task> Reload, Action Wake)[] _attached = [];

    public FindingsCluster(ClusterDatabase database, InventoryCluster inventory, IOptions<ClusterOptions> options, ILogger<FindingsCluster> logger)
    {
        _database = database;
        _inventory = inventory;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>How long a follower waits for the leader's evaluation (it may first finish one under way; CloudTrail reads are paced).</summary>
    public TimeSpan EvaluationWait { get; init; } = TimeSpan.FromMinutes(5);

    public bool IsLeader => _inventory.IsLeader;

    public bool HasRequests
    {
        get { lock (_gate) return _asked.Count > 0; }
    }

    public async Task RequestEvaluationAsync(CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _waiting[id] = done;
        try
        {
            await _database.NotifyAsync($"evaluate:{id}:{_options.InstanceName}", cancellationToken);
            await done.Task.WaitAsync(EvaluationWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The leader ({_inventory.Status.Leader ?? "none yet"}) stored no evaluation within {EvaluationWait.TotalSeconds:0} s.");
        }
        finally
        {
            lock (_gate) _waiting.Remove(id);
        }
    }

    public IReadOnlyList<string> TakeRequests()
    {
        lock (_gate)
        {
            var taken = _asked.Take(MaxAnswered).ToList();
            _asked.RemoveRange(0, taken.Count);
            return taken;
        }
    }

    public Task StoredAsync(IReadOnlyList<string> answered, CancellationToken cancellationToken) =>
        _database.NotifyAsync($"findings:{string.Join(',', answered)}:{_options.InstanceName}", cancellationToken);

    public Task FailedAsync(IReadOnlyList<string> requests, string reason, CancellationToken cancellationToken)
    {
        var why = reason.Replace('\n', ' ');
        return _database.NotifyAsync($"evaluation-failed:{string.Join(',', requests)}:{(why.Length > 500 ? why[..500] + "…" : why)}", cancellationToken);
    }

    public IDisposable Attach(Func<CancellationToken, Task> reload, Action wake)
    {
        var entry = (reload, wake);
        lock (_gate) _attached = [.. _attached, entry];
        return new Detach(() => { lock (_gate) _attached = [.. _attached.Where(a => a != entry)]; });
    }

    // ---- notices, from InventoryLeadership's LISTEN connection ----------------------------------------------------

    /// <summary><c>evaluate:{id}:{instance}</c> reached this leader: the next evaluation here answers it.</summary>
    internal void Asked(string payload)
    {
        var parts = payload.Split(':', 3);
        if (parts.Length < 2 || parts[1].Length == 0) return;
        lock (_gate) if (!_asked.Contains(parts[1], StringComparer.Ordinal)) _asked.Add(parts[1]);
        _logger.LogInformation("Cluster: {Follower} asked for a findings evaluation", parts.Length == 3 ? parts[2] : "a follower");
        Wake();
    }

    /// <summary><c>findings:{ids}:{instance}</c>: another instance stored findings; reload, then end the waits it answered.</summary>
    internal async Task StoredElsewhereAsync(string payload, CancellationToken cancellationToken)
    {
        var parts = payload.Split(':', 3);
        if (parts.Length != 3 || parts[2] == _options.InstanceName) return;
        var answered = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
        var failure = await ReloadAsync(cancellationToken);
        lock (_gate)
            foreach (var id in answered)
                if (_waiting.TryGetValue(id, out var done))
                {
                    if (failure is null) done.TrySetResult();
                    else done.TrySetException(new InvalidOperationException($"The leader stored its evaluation, but loading it failed: {failure.Message}", failure));
                }
    }

    /// <summary><c>evaluation-failed:{ids}:{reason}</c>: the leader's evaluation for these requests failed.</summary>
    internal void FailedElsewhere(string payload)
    {
        var parts = payload.Split(':', 3);
        if (parts.Length != 3) return;
        lock (_gate)
            foreach (var id in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                if (_waiting.TryGetValue(id, out var done))
                    done.TrySetException(new InvalidOperationException($"The leader ({_inventory.Status.Leader}) could not evaluate the findings: {parts[2]}"));
    }

    /// <summary>The leader changed: the new leader may need to evaluate; this instance's open requests go to it.</summary>
    internal async Task LeaderChangedAsync(CancellationToken cancellationToken)
    {
        Wake();
        string[] open;
        lock (_gate) open = [.. _waiting.Keys];
        foreach (var id in open)
        {
            try
            {
                await _database.NotifyAsync($"evaluate:{id}:{_options.InstanceName}", cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Cluster: asking the new leader for a findings evaluation failed ({Reason})", ex.Message);
            }
        }
    }

    /// <summary>Reloads the stored findings (after a notice, or after the LISTEN connection came back and notices may be lost).</summary>
    internal async Task<Exception?> ReloadAsync(CancellationToken cancellationToken)
    {
        (Func<CancellationToken, Task> Reload, Action Wake)[] attached;
        lock (_gate) attached = _attached;
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            foreach (var (reload, _) in attached) await reload(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Cluster: loading the stored findings failed ({Reason})", ex.Message);
            return ex;
        }
        finally
        {
            _reloading.Release();
        }
    }

    private void Wake()
    {
        (Func<CancellationToken, Task> Reload, Action Wake)[] attached;
        lock (_gate) attached = _attached;
        foreach (var (_, wake) in attached) wake();
    }

    private sealed class Detach(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
