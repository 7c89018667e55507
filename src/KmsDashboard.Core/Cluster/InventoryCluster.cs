using System.Text.Json;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// This instance's side of the shared inventory: whether it leads, what it serves, and a follower's requests to the
/// leader (a refresh, a re-read of some keys after an action), each waiting for the snapshot that answers it.
/// <see cref="InventoryLeadership"/> takes the lock, publishes and loads; this class holds no connection of its own.
/// </summary>
public sealed class InventoryCluster : IInventoryCluster
{
    /// <summary>A key re-read request larger than this (NOTIFY carries at most 8000 bytes) becomes a full refresh.</summary>
    private const int MaxPayload = 7000;

    private readonly ClusterDatabase _database;
    private readonly ClusterOptions _options;
    private readonly InventoryOptions _inventory;
    private readonly ILogger<InventoryCluster> _logger;
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset? Before, TaskCompletionSource Done)> _refreshWaiters = [];
    private readonly Dictionary<string, TaskCompletionSource> _keyWaiters = new(StringComparer.Ordinal);
    private volatile bool _isLeader;
    private InventoryClusterStatus _status;

    public InventoryCluster(ClusterDatabase database, IOptions<ClusterOptions> options, IOptions<InventoryOptions> inventory, ILogger<InventoryCluster> logger)
    {
        _database = database;
        _options = options.Value;
        _inventory = inventory.Value;
        _logger = logger;
        _status = new InventoryClusterStatus(_options.InstanceName, false, null, null);
    }

    public bool IsLeader => _isLeader;

    public InventoryClusterStatus Status => Volatile.Read(ref _status);

    /// <summary>How long a follower waits for the leader's answer to a full refresh.</summary>
    public TimeSpan RefreshWait => _inventory.RegionTimeout + TimeSpan.FromSeconds(60);

    /// <summary>How long a follower waits for the leader to publish keys it asked it to re-read.</summary>
    public static readonly TimeSpan KeysWait = TimeSpan.FromSeconds(60);

    public async Task RequestRefreshAsync(DateTimeOffset? readAtBefore, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _refreshWaiters.Add((readAtBefore, done));
        try
        {
            await _database.NotifyAsync($"refresh:{_options.InstanceName}", cancellationToken);
            await done.Task.WaitAsync(RefreshWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No refreshed inventory was published within {RefreshWait.TotalSeconds:0} s (leader: {Status.Leader ?? "none yet"}).");
        }
        finally
        {
            lock (_gate) _refreshWaiters.RemoveAll(w => w.Done == done);
        }
    }

    public async Task RequestKeysAsync(IReadOnlyList<KeyRef> keys, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var payload = $"keys:{id}:{JsonSerializer.Serialize(keys.Select(k => new[] { k.Region, k.KeyId }))}";
        if (payload.Length > MaxPayload)
        {
            await RequestRefreshAsync(null, cancellationToken);
            return;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _keyWaiters[id] = done;
        try
        {
            await _database.NotifyAsync(payload, cancellationToken);
            await done.Task.WaitAsync(KeysWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The leader ({Status.Leader ?? "none yet"}) did not publish the {keys.Count} re-read key(s) within {KeysWait.TotalSeconds:0} s.");
        }
        finally
        {
            lock (_gate) _keyWaiters.Remove(id);
        }
    }

    /// <summary>Parses a key re-read request (<c>keys:{id}:[["region","keyId"],...]</c>); null when malformed.</summary>
    internal static (string Id, IReadOnlyList<KeyRef> Keys)? ParseKeysRequest(string payload)
    {
        var parts = payload.Split(':', 3);
        if (parts.Length != 3 || parts[0] != "keys" || parts[1].Length == 0) return null;
        try
        {
            var pairs = JsonSerializer.Deserialize<string[][]>(parts[2]);
            if (pairs is null || pairs.Any(p => p.Length != 2)) return null;
            return (parts[1], [.. pairs.Select(p => new KeyRef(p[0], p[1]))]);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal bool HasRefreshWaiters
    {
        get { lock (_gate) return _refreshWaiters.Count > 0; }
    }

    internal void BecomeLeader()
    {
        _isLeader = true;
        Volatile.Write(ref _status, Status with { IsLeader = true, Leader = _options.InstanceName });
    }

    internal void BecomeFollower()
    {
        _isLeader = false;
        Volatile.Write(ref _status, Status with { IsLeader = false });
    }

    internal void LeaderIs(string leader) => Volatile.Write(ref _status, Status with { Leader = leader });

    /// <summary>
    /// A snapshot is now served here (loaded from the leader, or published by this leader): the requests it answers end.
    /// </summary>
    internal void Served(InventorySnapshot snapshot, string leader, DateTimeOffset publishedAt, IReadOnlyCollection<string> answered)
    {
        Volatile.Write(ref _status, Status with { Leader = leader, PublishedAt = publishedAt });
        lock (_gate)
        {
            foreach (var (before, done) in _refreshWaiters)
                if (snapshot.ReadAt is { } read && (before is null || read > before)) done.TrySetResult();
            foreach (var id in answered)
                if (_keyWaiters.TryGetValue(id, out var done)) done.TrySetResult();
        }
        _logger.LogDebug("Serving the snapshot {Leader} published at {PublishedAt}", leader, publishedAt);
    }

    /// <summary>The leader has published the keys these requests asked it to re-read, and this instance serves that snapshot.</summary>
    internal void Answered(IEnumerable<string> requests)
    {
        lock (_gate)
            foreach (var id in requests)
                if (_keyWaiters.TryGetValue(id, out var done)) done.TrySetResult();
    }
}
