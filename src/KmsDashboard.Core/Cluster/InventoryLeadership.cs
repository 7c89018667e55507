using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using Medallion.Threading.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// One refresher for the cluster. Every instance listens on <see cref="ClusterDatabase.Channel"/> and tries, every
/// <see cref="ClusterOptions.LeaderCheckIntervalFor"/>, to take a PostgreSQL advisory lock. The instance holding it leads:
/// it refreshes the inventory every <c>Inventory:RefreshInterval</c> (and when a follower asks), re-reads keys followers
/// acted on, and publishes each new snapshot (Brotli-compressed JSON) into <c>cluster_inventory_snapshot</c> with a NOTIFY.
/// The others load what it published and read no inventory from AWS. A leader whose process or connection dies
/// loses the lock with its session, and the next follower to try takes over. Each new leader raises the row's
/// <c>term</c>; a publish carrying an older term changes nothing, so a leader that lost its lock cannot overwrite its
/// successor.
/// </summary>
public sealed class InventoryLeadership : BackgroundService
{
    private static readonly PostgresAdvisoryLockKey LockKey = new("kmsdashboard-inventory-leader", allowHashing: true);

    private readonly KeyInventory _inventory;
    private readonly InventoryCluster _cluster;
    private readonly ClusterDatabase _database;
    private readonly ClusterOptions _options;
    private readonly InventoryOptions _inventoryOptions;
    private readonly ILogger<InventoryLeadership> _logger;
    private readonly TimeProvider _time;
    private readonly FindingsCluster? _findings;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly SemaphoreSlim _refreshAsked = new(0, 1);
    private readonly SemaphoreSlim _publishAsked = new(0, 1);
    private readonly Lock _gate = new();
    private readonly List<string> _answering = [];
    private long _generation;
    private long _term;
    private InventorySnapshot? _published;

    public InventoryLeadership(KeyInventory inventory, InventoryCluster cluster, ClusterDatabase database, IOptions<ClusterOptions> options,
        IOptions<InventoryOptions> inventoryOptions, ILogger<InventoryLeadership> logger, TimeProvider? time = null, FindingsCluster? findings = null)
    {
        _findings = findings;
        _inventory = inventory;
        _cluster = cluster;
        _database = database;
        _options = options.Value;
        _inventoryOptions = inventoryOptions.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    private TimeSpan CheckInterval => _options.LeaderCheckIntervalFor(_inventoryOptions.RefreshInterval);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await _database.EnsureCreatedAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError("Cluster: cannot reach the PostgreSQL store ({Reason}); trying again in {Interval}", ex.Message, CheckInterval);
                await Task.Delay(CheckInterval, _time, stoppingToken);
            }
        }
        var listening = ListenAsync(stoppingToken);
        var leaderLock = new PostgresDistributedLock(LockKey, await LockConnectionStringAsync(stoppingToken),
            o => o.UseMultiplexing(false).KeepaliveCadence(TimeSpan.FromSeconds(Math.Max(1, CheckInterval.TotalSeconds))));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                PostgresDistributedLockHandle? handle = null;
                try
                {
                    handle = await leaderLock.TryAcquireAsync(TimeSpan.Zero, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("Cluster: could not ask for the leader lock ({Reason})", ex.Message);
                }
                if (handle is null)
                {
                    await CatchUpQuietlyAsync(stoppingToken);
                    await Task.Delay(CheckInterval, _time, stoppingToken);
                    continue;
                }
                await using (handle)
                    await LeadAsync(handle, stoppingToken);
                // An instance that just lost the lead (its connection dropped, or it could not publish) is likely the
                // unhealthy one: it lets the others, who try every interval, take over first.
                await Task.Delay(2 * CheckInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await listening;
    }

    /// <summary>
    /// The leader lock's connection string. While it holds the lock, the lock's connection sits in <c>pg_sleep</c> (how
    /// DistributedLock watches for a lost connection), and a server in a statement notices a client that died (a killed
    /// process) only when the statement ends — a minute later. PostgreSQL 14 and later check the client meanwhile when
    /// asked (<c>client_connection_check_interval</c>, on Linux and other systems with POLLRDHUP); other servers keep the
    /// plain connection string.
    /// </summary>
    private async Task<string> LockConnectionStringAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        try
        {
            // Set for this statement only, to see the server takes it (a server without the kernel support refuses a non-zero value).
            await using var command = _database.DataSource.CreateCommand("""
                SELECT CASE WHEN current_setting('server_version_num')::int >= 140000
                            THEN set_config('client_connection_check_interval', '1000', true) IS NOT NULL ELSE false END
                """);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                var check = (int)Math.Clamp(CheckInterval.TotalMilliseconds / 2, 500, 5000);
                builder.Options = $"{builder.Options} -c client_connection_check_interval={check}".Trim();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Cluster: PostgreSQL does not check for dead clients during a statement ({Reason}); a killed leader is replaced only when its lock's wait ends", ex.Message);
        }
        return builder.ConnectionString;
    }

    /// <summary>Leads until the lock is lost, a publish finds a newer term, or the app stops.</summary>
    private async Task LeadAsync(PostgresDistributedLockHandle handle, CancellationToken stoppingToken)
    {
        using var lead = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, handle.HandleLostToken);
        try
        {
            _term = await ClaimTermAsync(lead.Token);
            // Serve the last published snapshot first: a new leader keeps its predecessor's data (and last use) until it has read AWS.
            await CatchUpAsync(lead.Token);
            _published = _inventory.Current;
            _cluster.BecomeLeader();
            _logger.LogInformation("Cluster: {Instance} is the leader (term {Term}); it reads AWS for every instance", _options.InstanceName, _term);
            await _database.NotifyAsync($"leader:{_options.InstanceName}", lead.Token);

            using var subscription = _inventory.Changed(() => Signal(_publishAsked));
            var publishing = PublishLoopAsync(lead);
            var readAt = _inventory.Current.ReadAt;
            var due = readAt is null || _cluster.HasRefreshWaiters ? _time.GetUtcNow() : readAt.Value + _inventoryOptions.RefreshInterval;
            try
            {
                while (!lead.IsCancellationRequested)
                {
                    var wait = due - _time.GetUtcNow();
                    if (!_inventoryOptions.BackgroundRefresh && !_cluster.HasRefreshWaiters) wait = Timeout.InfiniteTimeSpan;
                    if (wait > TimeSpan.Zero || wait == Timeout.InfiniteTimeSpan)
                        await _refreshAsked.WaitAsync(wait, lead.Token);
                    try
                    {
                        await _inventory.RefreshAsync(lead.Token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _logger.LogError(ex, "Background inventory refresh failed");
                    }
                    due = _time.GetUtcNow() + _inventoryOptions.RefreshInterval;
                }
            }
            finally
            {
                await lead.CancelAsync();
                await publishing;
            }
        }
        catch (OperationCanceledException) when (lead.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Cluster: {Instance} stops leading", _options.InstanceName);
        }
        finally
        {
            _cluster.BecomeFollower();
            if (!stoppingToken.IsCancellationRequested)
                _logger.LogWarning("Cluster: {Instance} is no longer the leader (lock lost: {Lost})", _options.InstanceName, handle.HandleLostToken.IsCancellationRequested);
        }
    }

    /// <summary>Raises the term (creating the row on the first ever lead) and names this instance as leader.</summary>
    private async Task<long> ClaimTermAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.DataSource.CreateCommand("""
            INSERT INTO cluster_inventory_snapshot AS s (id, term, generation, leader) VALUES (1, 1, 0, @leader)
            ON CONFLICT (id) DO UPDATE SET term = s.term + 1, leader = @leader
            RETURNING term
            """);
        command.Parameters.AddWithValue("leader", _options.InstanceName);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Publishes each new snapshot, at most every <see cref="ClusterOptions.PublishInterval"/> unless a follower waits for it.</summary>
    private async Task PublishLoopAsync(CancellationTokenSource lead)
    {
        var token = lead.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await _publishAsked.WaitAsync(token);
                bool answering;
                lock (_gate) answering = _answering.Count > 0;
                if (!answering && ReferenceEquals(_inventory.Current, _published)) continue;
                if (!answering && _options.PublishInterval > TimeSpan.Zero)
                {
                    // Let a refresh that publishes Region by Region settle a moment: one write for several Regions.
                    await Task.WhenAny(Task.Delay(_options.PublishInterval, _time, token), WaitForAnswerAsync(token));
                    token.ThrowIfCancellationRequested();
                }
                if (!await PublishAsync(token))
                {
                    _logger.LogWarning("Cluster: a newer leader has published; {Instance} stops leading", _options.InstanceName);
                    await lead.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The lock may be held still, but a leader that cannot publish serves nobody: let another instance lead.
            _logger.LogError(ex, "Cluster: publishing the snapshot failed; {Instance} stops leading", _options.InstanceName);
            await lead.CancelAsync();
        }
    }

    private async Task WaitForAnswerAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            lock (_gate) if (_answering.Count > 0) return;
            await Task.Delay(50, token);
        }
    }

    /// <summary>Writes the current snapshot under this leader's term; false when a newer term has taken the row.</summary>
    private async Task<bool> PublishAsync(CancellationToken cancellationToken)
    {
        var snapshot = _inventory.Current;
        string[] answered;
        lock (_gate)
        {
            answered = [.. _answering];
            _answering.Clear();
        }
        var data = SnapshotCodec.Encode(snapshot);
        await using var command = _database.DataSource.CreateCommand("""
            WITH published AS (
                UPDATE cluster_inventory_snapshot
                SET generation = generation + 1, leader = @leader, published_at = now(), read_at = @readAt, data = @data
                WHERE id = 1 AND term = @term
                RETURNING generation, published_at)
            SELECT generation, published_at, pg_notify(@channel, 'snapshot:' || generation || ':' || @answered) FROM published
            """);
        command.Parameters.AddWithValue("leader", _options.InstanceName);
        command.Parameters.AddWithValue("readAt", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)snapshot.ReadAt ?? DBNull.Value);
        command.Parameters.AddWithValue("data", data);
        command.Parameters.AddWithValue("term", _term);
        command.Parameters.AddWithValue("channel", ClusterDatabase.Channel);
        command.Parameters.AddWithValue("answered", string.Join(',', answered));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return false;
        var generation = reader.GetInt64(0);
        var publishedAt = reader.GetFieldValue<DateTimeOffset>(1);
        Interlocked.Exchange(ref _generation, generation);
        _published = snapshot;
        _cluster.Served(snapshot, _options.InstanceName, publishedAt, answered);
        _logger.LogDebug("Cluster: published snapshot {Generation} ({Keys} keys, {Bytes} bytes)", generation, snapshot.KeyCount, data.Length);
        return true;
    }

    /// <summary>Keeps one connection listening on the channel, reconnecting after a failure, and catching up after each (re)connect.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false, KeepAlive = 10 };
        var connected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Payload, stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {ClusterDatabase.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                await CatchUpQuietlyAsync(stoppingToken);
                // Findings stored while this instance was not listening: load them (at the first connection the findings load themselves).
                if (connected && _findings is not null) _ = _findings.ReloadAsync(stoppingToken);
                connected = true;
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Cluster: listening for snapshots failed ({Reason}); listening again in {Interval}", ex.Message, CheckInterval);
                try { await Task.Delay(CheckInterval, _time, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private void Dispatch(string payload, CancellationToken stoppingToken)
    {
        var kind = payload.Split(':', 2)[0];
        switch (kind)
        {
            case "snapshot" when !_cluster.IsLeader:
                var parts = payload.Split(':');
                if (parts.Length == 3 && long.TryParse(parts[1], out var generation))
                    _ = CatchUpQuietlyAsync(stoppingToken, generation, parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries));
                break;
            case "leader":
                _cluster.LeaderIs(payload["leader:".Length..]);
                if (_findings is not null) _ = _findings.LeaderChangedAsync(stoppingToken);
                break;
            case "evaluate" when _cluster.IsLeader:
                _findings?.Asked(payload);
                break;
            case "findings":
                if (_findings is not null) _ = _findings.StoredElsewhereAsync(payload, stoppingToken);
                break;
            case "evaluation-failed":
                _findings?.FailedElsewhere(payload);
                break;
            case "refresh" when _cluster.IsLeader:
                _logger.LogInformation("Cluster: {Follower} asked for a refresh", payload["refresh:".Length..]);
                Signal(_refreshAsked);
                break;
            case "keys" when _cluster.IsLeader:
                if (InventoryCluster.ParseKeysRequest(payload) is { } request) _ = RereadAsync(request.Id, request.Keys, stoppingToken);
                break;
        }
    }

    /// <summary>A follower acted on keys: re-read them here, then publish at once naming its request.</summary>
    private async Task RereadAsync(string id, IReadOnlyList<KeyRef> keys, CancellationToken stoppingToken)
    {
        try
        {
            if (keys.All(k => BackendOptions.IsRegionName(k.Region) && !string.IsNullOrWhiteSpace(k.KeyId)))
                await _inventory.RefreshKeysAsync(keys, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Cluster: re-reading {Count} key(s) a follower asked for failed: {Reason}", keys.Count, ex.Message);
        }
        // Answered either way: the follower then serves what the leader has (the keys keep their last state on failure).
        lock (_gate) _answering.Add(id);
        Signal(_publishAsked);
    }

    /// <summary>
    /// Catches up, logging rather than throwing. <paramref name="answered"/>: the follower requests the notice of
    /// <paramref name="generation"/> answered; they end once a snapshot at least that new is served here.
    /// </summary>
    private async Task CatchUpQuietlyAsync(CancellationToken cancellationToken, long generation = 0, IReadOnlyCollection<string>? answered = null)
    {
        try
        {
            await CatchUpAsync(cancellationToken);
            if (answered is { Count: > 0 } && Interlocked.Read(ref _generation) >= generation) _cluster.Answered(answered);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Cluster: loading the published snapshot failed ({Reason})", ex.Message);
        }
    }

    /// <summary>Loads and serves the published snapshot when it is newer than the one served here.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            var known = Interlocked.Read(ref _generation);
            await using var command = _database.DataSource.CreateCommand(
                "SELECT generation, leader, published_at, data FROM cluster_inventory_snapshot WHERE id = 1 AND generation > @known AND data IS NOT NULL");
            command.Parameters.AddWithValue("known", known);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return;
            var generation = reader.GetInt64(0);
            var leader = reader.GetString(1);
            var publishedAt = reader.GetFieldValue<DateTimeOffset>(2);
            var snapshot = SnapshotCodec.Decode(await reader.GetFieldValueAsync<byte[]>(3, cancellationToken));
            if (_cluster.IsLeader) return; // this instance publishes now; what it loaded is older than what it holds
            _inventory.Adopt(snapshot);
            Interlocked.Exchange(ref _generation, generation);
            _cluster.Served(snapshot, leader, publishedAt, []);
        }
        finally
        {
            _loading.Release();
        }
    }

    private static void Signal(SemaphoreSlim semaphore)
    {
        try { if (semaphore.CurrentCount == 0) semaphore.Release(); }
        catch (SemaphoreFullException) { }
    }

    public override void Dispose()
    {
        _loading.Dispose();
        _refreshAsked.Dispose();
        _publishAsked.Dispose();
        base.Dispose();
    }
}
