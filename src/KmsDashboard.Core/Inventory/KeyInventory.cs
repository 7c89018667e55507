using System.Collections.Concurrent;
using Amazon.Runtime;
using System.Diagnostics;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Every key in every configured Region, held as one immutable <see cref="InventorySnapshot"/> shared by all users.
/// Refreshed in the background and on demand; Regions are read in parallel and a failing Region keeps its last data.
/// </summary>
public sealed class KeyInventory : IDisposable
{
    private readonly AwsClients _clients;
    private readonly AwsAccounts _accounts;
    // The accounts of the latest listing by id ("" is the single account), for re-reads and the last-use fill.
    private volatile IReadOnlyDictionary<string, AwsAccount> _knownAccounts;
    private readonly InventoryOptions _options;
    private readonly ILogger<KeyInventory> _logger;
    private readonly TimeProvider _time;
    private readonly IInventoryCluster? _cluster;
    private readonly ConcurrentDictionary<string, RegionReader> _readers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _policyPool = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private Action[] _listeners = [];
    private InventorySnapshot _current = InventorySnapshot.Empty;
    private Task? _running;
    // The running refresh's own cancellation: only disposal stops it, never a caller that stops waiting.
    private CancellationTokenSource? _runningCts;
    // Regions the running refresh has not finished yet, with when their read began (guarded by _gate).
    private readonly Dictionary<string, DateTimeOffset> _loading = new(StringComparer.Ordinal);
    // How many accounts still read each loading Region (guarded by _gate).
    private readonly Dictionary<string, int> _loadingAccounts = new(StringComparer.Ordinal);
    // Region outcomes read but not yet published, and whether a caller is publishing them (guarded by _pendingGate).
    private readonly Lock _pendingGate = new();
    private readonly List<PendingRegion> _pendingRegions = [];
    private bool _publishingRegions;
    private CancellationTokenSource? _lastUseRun;
    private int _regionsDone, _regionsTotal, _keysListed, _keysRead;
    private DateTimeOffset? _startedAt;
    private long _lastProgressNotice;
    // Keys re-read one by one (after an action), by the order they were re-read in; a full refresh that started before a
    // re-read read those keys earlier, so the re-read version wins when it publishes.
    private readonly Dictionary<KeyRef, long> _rereads = [];
    // Regions whose endpoint answered GetKeyLastUsage with a server error while serving every other read (moto does not
    // implement it): asked once, logged once, not asked again until the time given.
    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, string Reason)> _lastUseUnavailable = new(StringComparer.Ordinal);

    /// <summary>How long a Region whose endpoint does not serve GetKeyLastUsage is left alone before it is asked again.</summary>
    public static readonly TimeSpan LastUseRetryAfter = TimeSpan.FromHours(1);
    private long _rereadSequence, _refreshStartSequence;

    public KeyInventory(AwsClients clients, IOptions<InventoryOptions> options, ILogger<KeyInventory> logger, TimeProvider? time = null,
        AwsAccounts? accounts = null, IInventoryCluster? cluster = null)
    {
        _clients = clients;
        _accounts = accounts ?? new AwsAccounts(clients);
        _knownAccounts = new Dictionary<string, AwsAccount>(StringComparer.Ordinal) { [""] = _accounts.Default };
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _cluster = cluster;
    }

    /// <summary>
    /// True when this instance reads AWS for its inventory: a single instance, or the cluster's leader. A follower serves
    /// the leader's snapshot and hands refreshes to it.
    /// </summary>
    public bool ReadsAws => _cluster is null || _cluster.IsLeader;

    /// <summary>The cluster this inventory is shared with (leader, snapshot age), or null on a single instance.</summary>
    public InventoryClusterStatus? ClusterStatus => _cluster?.Status;

    /// <summary>The latest snapshot; never null (empty before the first refresh).</summary>
    public InventorySnapshot Current => Volatile.Read(ref _current);

    public InventoryProgress Progress
    {
        get
        {
            lock (_gate)
                return _running is null ? InventoryProgress.Idle
                    : new InventoryProgress(true, _regionsDone, _regionsTotal, _keysListed, _keysRead, _startedAt)
                    {
                        Loading = new Dictionary<string, DateTimeOffset>(_loading, StringComparer.Ordinal),
                    };
        }
    }

    /// <summary>Calls <paramref name="listener"/> after every new snapshot and as a refresh progresses. Dispose to stop.</summary>
    public IDisposable Changed(Action listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Subscription(() => { lock (_gate) _listeners = [.. _listeners.Where(l => l != listener)]; });
    }

    /// <summary>
    /// Reads every configured Region, publishing each Region's keys as soon as that Region has been read (a slow Region
    /// holds up no other). A refresh already running is joined rather than repeated. The refresh runs on its own
    /// cancellation: <paramref name="cancellationToken"/> only stops this caller's wait (a page that started a refresh and
    /// went away does not cancel it for everyone else); disposing the inventory stops it.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_cluster is { IsLeader: false } cluster) return cluster.RequestRefreshAsync(Current.ReadAt, cancellationToken);
        Task run;
        lock (_gate)
        {
            if (_running is null)
            {
                _regionsDone = _keysListed = _keysRead = 0;
                var accounts = _knownAccounts.Values.Where(a => _accounts.MultiAccount ? !a.IsDefault : a.IsDefault).ToList();
                _regionsTotal = accounts.Sum(a => a.Regions.Count);
                _startedAt = _time.GetUtcNow();
                _refreshStartSequence = _rereadSequence;
                _loading.Clear();
                _loadingAccounts.Clear();
                foreach (var region in accounts.SelectMany(a => a.Regions))
                {
                    _loading[region] = _startedAt.Value;
                    _loadingAccounts[region] = _loadingAccounts.GetValueOrDefault(region) + 1;
                }
                _runningCts = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
                _running = RunRefreshAsync(_runningCts.Token);
            }
            run = _running;
        }
        Notify();
        return run.WaitAsync(cancellationToken);
    }

    /// <summary>Re-reads the given keys (after a change) and publishes a snapshot with them replaced or removed.</summary>
    public async Task RefreshKeysAsync(IEnumerable<KeyRef> keys, CancellationToken cancellationToken)
    {
        var byRegion = keys.Distinct().GroupBy(k => (k.Account, k.Region)).ToList();
        foreach (var group in byRegion)
        {
            if (!BackendOptions.IsRegionName(group.Key.Region)) throw new ArgumentException($"'{group.Key.Region}' is not an AWS Region name.", nameof(keys));
            if (group.Any(k => string.IsNullOrWhiteSpace(k.KeyId))) throw new ArgumentException("A key to refresh has no key id.", nameof(keys));
            AccountOf(group.Key.Account);
        }
        if (_cluster is { IsLeader: false } cluster)
        {
            // The leader re-reads them and publishes; this instance serves what it publishes.
            if (byRegion.Count > 0) await cluster.RequestKeysAsync([.. byRegion.SelectMany(g => g)], cancellationToken);
            return;
        }
        var read = await Task.WhenAll(byRegion.Select(async group =>
        {
            var reader = Reader(AccountOf(group.Key.Account), group.Key.Region);
            var results = new List<(string KeyId, RegionalKey? Key)>();
            foreach (var key in group)
            {
                try
                {
                    results.Add((key.KeyId, await reader.ReadOneAsync(key.KeyId, Current.Find(key)?.Arn, cancellationToken)));
                }
                catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or AmazonClientException)
                {
                    // The key keeps its last known state; the next full refresh will try again.
                    _logger.LogWarning("Could not re-read {KeyId} in {Region}: {Reason}", key.KeyId, key.Region, Describe(ex));
                    _logger.LogDebug(ex, "Could not re-read {KeyId} in {Region}", key.KeyId, key.Region);
                }
            }
            return (group.Key.Account, group.Key.Region, Results: results);
        }));

        lock (_gate)
        {
            var current = _current;
            var changed = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
            foreach (var (account, region, results) in read)
            {
                if (results.Count == 0) continue;
                var list = (changed.GetValueOrDefault(region) ?? current.KeysByRegion.GetValueOrDefault(region) ?? []).ToList();
                foreach (var (keyId, key) in results)
                {
                    _rereads[new KeyRef(region, keyId, account)] = ++_rereadSequence;
                    var index = list.FindIndex(k => k.KeyId == keyId && k.Account == account);
                    var previous = index >= 0 ? list[index] : null;
                    if (index >= 0) list.RemoveAt(index);
                    if (key is null) continue;
                    list.Add(key with { LastUse = previous?.LastUse });
                    // An alias that now points here no longer points at the key it left.
                    for (var i = 0; i < list.Count; i++)
                    {
                        var other = list[i];
                        if (other.Account == account && other.KeyId != key.KeyId && other.Aliases.Any(key.Aliases.Contains))
                            list[i] = other with { Aliases = [.. other.Aliases.Except(key.Aliases)] };
                    }
                }
                changed[region] = [.. list.OrderBy(k => k.Account, StringComparer.Ordinal).ThenBy(k => k.KeyId, StringComparer.Ordinal)];
            }
            if (changed.Count == 0) return;
            var regions = current.Regions.Count > 0 ? current.Regions : _clients.Regions;
            Publish(current.With(changed, new Dictionary<string, RegionReadStatus>(), regions));
        }
    }

    /// <summary>The rotation history of one key (ListKeyRotations; read on demand, not kept in the snapshot).</summary>
    public Task<KeyRotationHistory> ReadRotationHistoryAsync(KeyRef key, CancellationToken cancellationToken)
    {
        if (!BackendOptions.IsRegionName(key.Region)) throw new ArgumentException($"'{key.Region}' is not an AWS Region name.", nameof(key));
        if (string.IsNullOrWhiteSpace(key.KeyId)) throw new ArgumentException("The key id is empty.", nameof(key));
        return Reader(AccountOf(key.Account), key.Region).ReadRotationHistoryAsync(key.KeyId, cancellationToken);
    }

    private async Task RunRefreshAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var activity = DashboardTelemetry.StartRoot("inventory.refresh");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var accounts = await _accounts.ListAsync(cancellationToken);
            _knownAccounts = accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
            // Every account's Regions, the backend's first and in their order, then any others an account adds.
            IReadOnlyList<string> regions = [.. _clients.Regions.Concat(accounts.SelectMany(a => a.Regions)).Distinct(StringComparer.Ordinal)
                .Where(r => accounts.Any(a => a.Regions.Contains(r)))];
            activity?.SetTag("kmsdashboard.regions", regions.Count);
            activity?.SetTag("kmsdashboard.accounts", accounts.Count);
            lock (_gate)
            {
                _regionsTotal = accounts.Sum(a => a.Regions.Count);
                _loading.Clear();
                _loadingAccounts.Clear();
                foreach (var region in accounts.SelectMany(a => a.Regions))
                {
                    _loading[region] = _startedAt ?? _time.GetUtcNow();
                    _loadingAccounts[region] = _loadingAccounts.GetValueOrDefault(region) + 1;
                }
                // Every listed account is shown (never read yet, or with its last data) from the start of the read.
                if (_accounts.MultiAccount) Publish(_current.With(new Dictionary<string, IReadOnlyList<RegionalKey>>(), new Dictionary<string, RegionReadStatus>(), regions, accounts: AccountStatuses(_current, accounts)));
            }
            // Accounts in parallel, and each account's Regions in parallel: a failing account holds up no other.
            var perAccount = await Task.WhenAll(accounts.Select(async account =>
            {
                if (!await AssumeAsync(account, accounts, regions, cancellationToken))
                    return account.Regions.Select(r => (Region: r, Keys: (IReadOnlyList<RegionalKey>?)null, Error: (string?)"role not assumed", At: _time.GetUtcNow())).ToArray();
                return await Task.WhenAll(account.Regions.Select(async r =>
                {
                    var outcome = await ReadRegionAsync(account, r, cancellationToken);
                    cancellationToken.ThrowIfCancellationRequested();
                    PublishRegion(account, accounts, outcome, regions);
                    return outcome;
                }));
            }));
            var outcomes = perAccount.SelectMany(o => o).ToList();
            var now = _time.GetUtcNow();
            lock (_gate)
            {
                // Every Region is in; the snapshot now says when the whole read finished.
                var current = _current;
                var gone = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
                if (_accounts.MultiAccount)
                {
                    // Keys of accounts no longer listed (left the organization) go.
                    var listed = accounts.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
                    foreach (var (region, keys) in current.KeysByRegion)
                        if (keys.Any(k => !listed.Contains(k.Account))) gone[region] = [.. keys.Where(k => listed.Contains(k.Account))];
                }
                Publish(current.With(gone, new Dictionary<string, RegionReadStatus>(), regions, now,
                    _accounts.MultiAccount ? AccountStatuses(current, accounts) : null));
                // Re-reads from before this refresh started are now covered by it.
                foreach (var (key, sequence) in _rereads.ToList())
                    if (sequence <= _refreshStartSequence) _rereads.Remove(key);
            }
            var failed = outcomes.Count(o => o.Keys is null);
            DashboardTelemetry.RefreshDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(DashboardTelemetry.OutcomeTag, failed == 0 ? "ok" : "partial"));
            activity?.SetTag("kmsdashboard.keys", Current.KeyCount);
            activity?.SetTag("kmsdashboard.regions_failed", failed);
            _logger.LogInformation("Inventory read {Keys} keys in {Accounts} accounts, {Regions} Regions ({Failed} account Regions failed) in {Seconds:F1} s",
                Current.KeyCount, accounts.Count, regions.Count, outcomes.Count(o => o.Keys is null), (now - (_startedAt ?? now)).TotalSeconds);
            if (_options.ReadLastUse) StartLastUseFill();
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
                _loading.Clear();
                _loadingAccounts.Clear();
                _runningCts?.Dispose();
                _runningCts = null;
            }
            Notify();
        }
    }

    /// <summary>
    /// Publishes one Region's outcome as soon as it is known: its keys, or its error with its last good keys kept. Every
    /// publish builds a whole snapshot (key sets, drift) over every key, so outcomes that arrive while one is being built
    /// wait and go out together in the next: with many accounts, their Regions finish together, and one snapshot each
    /// would be built one after another over a growing estate (30 over up to 22,500 keys at 5 accounts × 6 Regions).
    /// </summary>
    private void PublishRegion(AwsAccount account, IReadOnlyList<AwsAccount> accounts,
        (string Region, IReadOnlyList<RegionalKey>? Keys, string? Error, DateTimeOffset At) outcome, IReadOnlyList<string> regions)
    {
        lock (_pendingGate)
        {
            _pendingRegions.Add(new PendingRegion(account, accounts, outcome, regions));
            if (_publishingRegions) return; // the caller publishing now takes this one before it stops
            _publishingRegions = true;
        }
        try
        {
            while (true)
            {
                PendingRegion[] batch;
                lock (_pendingGate)
                {
                    if (_pendingRegions.Count == 0)
                    {
                        _publishingRegions = false;
                        return;
                    }
                    batch = [.. _pendingRegions];
                    _pendingRegions.Clear();
                }
                PublishRegions(batch);
            }
        }
        catch
        {
            // This refresh fails with the exception; nothing of it is left for the next to publish.
            lock (_pendingGate)
            {
                _pendingRegions.Clear();
                _publishingRegions = false;
            }
            throw;
        }
    }

    /// <summary>One snapshot with every outcome of <paramref name="batch"/> (one per account and Region) applied.</summary>
    private void PublishRegions(IReadOnlyList<PendingRegion> batch)
    {
        lock (_gate)
        {
            var current = _current;
            var keys = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
            var statuses = new Dictionary<string, RegionReadStatus>(StringComparer.Ordinal);
            List<AccountReadStatus>? accountStatuses = null;
            foreach (var (account, accounts, (region, read, error, at), _) in batch)
            {
                RegionReadStatus before;
                if (_accounts.MultiAccount)
                    before = (accountStatuses?.Find(a => a.Id == account.Id) ?? current.FindAccount(account.Id))?.Regions.GetValueOrDefault(region) ?? new RegionReadStatus(region, null);
                else
                    before = statuses.GetValueOrDefault(region) ?? current.StatusOf(region);
                RegionReadStatus status;
                if (read is not null)
                {
                    // The Region's keys as this batch has left them so far (other accounts' outcomes may be in it too).
                    var inRegion = keys.GetValueOrDefault(region) ?? current.KeysByRegion.GetValueOrDefault(region) ?? [];
                    var merged = KeepLaterRereads(account.Id, region, read, current);
                    var withLastUse = CarryLastUse(merged, [.. inRegion.Where(k => k.Account == account.Id)]);
                    // Only this account's keys of the Region are replaced; the other accounts' stay as they are.
                    keys[region] = inRegion.Any(k => k.Account != account.Id)
                        ? [.. inRegion.Where(k => k.Account != account.Id).Concat(withLastUse).OrderBy(k => k.Account, StringComparer.Ordinal).ThenBy(k => k.KeyId, StringComparer.Ordinal)]
                        : withLastUse;
                    status = new RegionReadStatus(region, at, KeyCount: merged.Count);
                }
                else
                {
                    status = before with { Error = error, FailingSince = before.FailingSince ?? at };
                }
                if (_loadingAccounts.TryGetValue(region, out var left) && left > 1) _loadingAccounts[region] = left - 1;
                else
                {
                    _loadingAccounts.Remove(region);
                    _loading.Remove(region);
                }
                if (_accounts.MultiAccount)
                {
                    var from = accountStatuses;
                    accountStatuses = AccountStatuses(id => from is null ? current.FindAccount(id) : from.Find(a => a.Id == id), accounts, account.Id,
                        a => a with { Regions = WithRegion(a.Regions, status), AssumeError = null, AssumeFailingSince = null });
                }
                else statuses[region] = status;
            }
            // Every outcome of a batch comes from one refresh, so they share its list of Regions.
            var regions = batch[^1].Regions;
            Publish(_accounts.MultiAccount
                ? current.With(keys, new Dictionary<string, RegionReadStatus>(), regions, accounts: accountStatuses)
                : current.With(keys, statuses, regions));
        }
    }

    private sealed record PendingRegion(AwsAccount Account, IReadOnlyList<AwsAccount> Accounts,
        (string Region, IReadOnlyList<RegionalKey>? Keys, string? Error, DateTimeOffset At) Outcome, IReadOnlyList<string> Regions);

    /// <summary>
    /// Gets the account's role credentials before its Regions are read (the single account has nothing to assume). When the
    /// role cannot be assumed the account is shown failing, with the error and since when, keeping its last good keys.
    /// </summary>
    private async Task<bool> AssumeAsync(AwsAccount account, IReadOnlyList<AwsAccount> accounts, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        if (account.IsDefault) return true;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RegionTimeout);
            await _accounts.Clients(account).Credentials.GetCredentialsAsync().WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"STS did not answer within {_options.RegionTimeout.TotalSeconds:0} s." : Describe(ex);
            var error = $"Could not assume {account.RoleArn}: {reason}";
            _logger.LogWarning("Inventory: account {Account} ({Name}) not read: {Reason}", account.Id, account.Name, error);
            _logger.LogDebug(ex, "Inventory: assuming the role in {Account} failed", account.Id);
            var at = _time.GetUtcNow();
            lock (_gate)
            {
                var current = _current;
                foreach (var region in account.Regions)
                {
                    if (_loadingAccounts.TryGetValue(region, out var left) && left > 1) _loadingAccounts[region] = left - 1;
                    else
                    {
                        _loadingAccounts.Remove(region);
                        _loading.Remove(region);
                    }
                }
                Interlocked.Add(ref _regionsDone, account.Regions.Count);
                Publish(current.With(new Dictionary<string, IReadOnlyList<RegionalKey>>(), new Dictionary<string, RegionReadStatus>(), regions,
                    accounts: AccountStatuses(current, accounts, account.Id, a => a with { AssumeError = error, AssumeFailingSince = a.AssumeFailingSince ?? at })));
            }
            NotifyProgress(force: true);
            return false;
        }
    }

    /// <summary>The listed accounts' statuses in order (new ones never read yet), with one account's changed.</summary>
    private static List<AccountReadStatus> AccountStatuses(InventorySnapshot current, IReadOnlyList<AwsAccount> accounts,
        string? changedId = null, Func<AccountReadStatus, AccountReadStatus>? change = null) =>
        AccountStatuses(current.FindAccount, accounts, changedId, change);

    /// <summary>The same, from the statuses <paramref name="find"/> gives by account id.</summary>
    private static List<AccountReadStatus> AccountStatuses(Func<string, AccountReadStatus?> find, IReadOnlyList<AwsAccount> accounts,
        string? changedId = null, Func<AccountReadStatus, AccountReadStatus>? change = null)
    {
        var result = new List<AccountReadStatus>(accounts.Count);
        foreach (var account in accounts)
        {
            var status = find(account.Id) ?? new AccountReadStatus(account.Id, account.Name,
                account.Regions.ToDictionary(r => r, r => new RegionReadStatus(r, null), StringComparer.Ordinal));
            // A Region added to the account's configuration starts unread; one taken off goes.
            if (!status.Regions.Keys.ToHashSet().SetEquals(account.Regions))
                status = status with { Regions = account.Regions.ToDictionary(r => r, r => status.Regions.GetValueOrDefault(r) ?? new RegionReadStatus(r, null), StringComparer.Ordinal) };
            if (status.Name != account.Name) status = status with { Name = account.Name };
            if (change is not null && account.Id == changedId) status = change(status);
            result.Add(status);
        }
        return result;
    }

    private static Dictionary<string, RegionReadStatus> WithRegion(IReadOnlyDictionary<string, RegionReadStatus> regions, RegionReadStatus status)
    {
        var copy = new Dictionary<string, RegionReadStatus>(regions, StringComparer.Ordinal) { [status.Region] = status };
        return copy;
    }

    private AwsAccount AccountOf(string accountId) =>
        _knownAccounts.GetValueOrDefault(accountId) ?? _accounts.Find(accountId)
        ?? throw new ArgumentException(string.IsNullOrEmpty(accountId)
            ? "The key names no account, but the dashboard reads several accounts."
            : $"Account {accountId} is not one of the dashboard's accounts.", nameof(accountId));

    private async Task<(string Region, IReadOnlyList<RegionalKey>? Keys, string? Error, DateTimeOffset At)> ReadRegionAsync(AwsAccount account, string region, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        timeout.CancelAfter(_options.RegionTimeout);
        var listed = 0;
        using var activity = DashboardTelemetry.Source.StartActivity("inventory.region");
        activity?.SetTag(DashboardTelemetry.RegionTag, region);
        var started = Stopwatch.GetTimestamp();
        var outcome = "cancelled";
        try
        {
            var keys = await Reader(account, region).ReadAllAsync(
                n => { listed = n; Interlocked.Add(ref _keysListed, n); NotifyProgress(); },
                () => { Interlocked.Increment(ref _keysRead); NotifyProgress(); },
                timeout.Token);
            outcome = "ok";
            activity?.SetTag("kmsdashboard.keys", keys.Count);
            activity?.SetTag("kmsdashboard.keys_unreadable", keys.Count(k => k.ReadError is not null));
            return (region, keys, null, _time.GetUtcNow());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            outcome = "timeout";
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            _logger.LogWarning("Inventory: {Region} did not answer within {Timeout}", region, _options.RegionTimeout);
            return (region, null, $"No answer within {_options.RegionTimeout.TotalSeconds:0} s.", _time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = "failed";
            // One line an operator can read; the stack trace only at Debug (an outage would print it every refresh).
            var reason = Describe(ex);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            _logger.LogWarning("Inventory: reading {Region} failed: {Reason}", region, reason);
            _logger.LogDebug(ex, "Inventory: reading {Region} failed", region);
            return (region, null, reason, _time.GetUtcNow());
        }
        finally
        {
            DashboardTelemetry.RegionRefreshDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(DashboardTelemetry.RegionTag, region), new KeyValuePair<string, object?>(DashboardTelemetry.OutcomeTag, outcome));
            activity?.SetTag(DashboardTelemetry.OutcomeTag, outcome);
            Interlocked.Increment(ref _regionsDone);
            NotifyProgress(force: true);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        AmazonServiceException s when !string.IsNullOrEmpty(s.ErrorCode) => $"{s.ErrorCode}: {s.Message}",
        _ when ex.InnerException is HttpRequestException inner => inner.Message,
        _ => ex.Message,
    };

    /// <summary>
    /// Caller holds the lock. Keys of <paramref name="region"/> re-read after this refresh started (an action changed
    /// them while it ran) keep their re-read version, present or deleted: the refresh read them earlier. Aliases those
    /// keys now carry are taken off any other key the refresh still shows them on.
    /// </summary>
    private IReadOnlyList<RegionalKey> KeepLaterRereads(string account, string region, IReadOnlyList<RegionalKey> read, InventorySnapshot current)
    {
        var later = _rereads.Where(p => p.Value > _refreshStartSequence && p.Key.Region == region && p.Key.Account == account)
            .Select(p => p.Key.KeyId).ToHashSet(StringComparer.Ordinal);
        if (later.Count == 0) return read;
        var reread = (current.KeysByRegion.GetValueOrDefault(region) ?? []).Where(k => k.Account == account && later.Contains(k.KeyId)).ToList();
        var aliases = reread.SelectMany(k => k.Aliases).ToHashSet(StringComparer.Ordinal);
        return [.. read.Where(k => !later.Contains(k.KeyId))
                .Select(k => k.Aliases.Any(aliases.Contains) ? k with { Aliases = [.. k.Aliases.Where(a => !aliases.Contains(a))] } : k)
                .Concat(reread)
                .OrderBy(k => k.KeyId, StringComparer.Ordinal)];
    }

    private static IReadOnlyList<RegionalKey> CarryLastUse(IReadOnlyList<RegionalKey> read, IReadOnlyList<RegionalKey>? before)
    {
        if (before is null || before.Count == 0) return read;
        var lastUse = new Dictionary<string, KeyLastUse>(StringComparer.Ordinal);
        foreach (var k in before)
            if (k.LastUse is not null) lastUse[k.KeyId] = k.LastUse;
        if (lastUse.Count == 0) return read;
        return [.. read.Select(k => lastUse.TryGetValue(k.KeyId, out var u) ? k with { LastUse = u } : k)];
    }

    /// <summary>Fills last use key by key at GetKeyLastUsage's pace, publishing a batch every few seconds.</summary>
    private void StartLastUseFill()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        Interlocked.Exchange(ref _lastUseRun, cts)?.Cancel();
        var snapshot = Current;
        _ = Task.Run(async () =>
        {
            var pending = new ConcurrentDictionary<KeyRef, KeyLastUse>();
            using var flusher = new PeriodicTimer(TimeSpan.FromSeconds(3), _time);
            var scopes = snapshot.Regions
                .SelectMany(region => (snapshot.KeysByRegion.GetValueOrDefault(region) ?? []).Select(k => k.Account).Distinct(StringComparer.Ordinal)
                    .Where(_knownAccounts.ContainsKey).Select(account => (Account: account, Region: region)))
                .ToList();
            var fill = Task.WhenAll(scopes.Select(async scope =>
            {
                var (accountId, region) = scope;
                var scopeKey = accountId.Length == 0 ? region : $"{accountId}/{region}";
                var account = AccountOf(accountId);
                var keys = (snapshot.KeysByRegion.GetValueOrDefault(region) ?? [])
                    .Where(k => !k.AwsManaged && k.Account == accountId).OrderBy(k => k.LastUse is not null).ToList();
                var regionError = snapshot.MultiAccount ? snapshot.FindAccount(accountId)?.Regions.GetValueOrDefault(region)?.Error : snapshot.StatusOf(region).Error;
                if (_lastUseUnavailable.TryGetValue(scopeKey, out var off) && off.Until > _time.GetUtcNow())
                {
                    foreach (var key in keys.Where(k => k.LastUse?.Unavailable is null)) pending[key.Ref] = new KeyLastUse(null, null, null, off.Reason);
                    return;
                }
                var answered = false;
                foreach (var key in keys)
                {
                    try
                    {
                        if (await Reader(account, region).ReadLastUseAsync(key.KeyId, cts.Token) is { } use) pending[key.Ref] = use;
                        answered = true;
                    }
                    catch (AmazonServiceException ex) when (!answered && (int)ex.StatusCode >= 500 && regionError is null)
                    {
                        // The Region served every other read of this refresh, so its endpoint does not serve this one.
                        var reason = $"not available from this endpoint (GetKeyLastUsage answered HTTP {(int)ex.StatusCode}{(string.IsNullOrEmpty(ex.ErrorCode) ? "" : " " + ex.ErrorCode)})";
                        _lastUseUnavailable[scopeKey] = (_time.GetUtcNow() + LastUseRetryAfter, reason);
                        _logger.LogWarning("GetKeyLastUsage is {Reason} in {Region}; last use is not read there for {RetryAfter}", reason, region, LastUseRetryAfter);
                        foreach (var k in keys) pending[k.Ref] = new KeyLastUse(null, null, null, reason);
                        return;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _logger.LogDebug(ex, "Last use of {KeyId} in {Region} not read", key.KeyId, region);
                        return; // the Region is failing: stop asking it until the next refresh
                    }
                }
            }));
            try
            {
                while (!fill.IsCompleted)
                {
                    await Task.WhenAny(fill, flusher.WaitForNextTickAsync(cts.Token).AsTask());
                    cts.Token.ThrowIfCancellationRequested();
                    ApplyLastUse(pending);
                }
                await fill;
                ApplyLastUse(pending);
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    private void ApplyLastUse(ConcurrentDictionary<KeyRef, KeyLastUse> pending)
    {
        if (pending.IsEmpty) return;
        var batch = pending.ToArray();
        foreach (var (k, _) in batch) pending.TryRemove(k, out _);
        lock (_gate)
        {
            var current = _current;
            var changed = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
            foreach (var regionBatch in batch.GroupBy(b => b.Key.Region))
            {
                var updates = regionBatch.ToDictionary(b => (b.Key.Account, b.Key.KeyId), b => b.Value);
                changed[regionBatch.Key] = [.. (current.KeysByRegion.GetValueOrDefault(regionBatch.Key) ?? [])
                    .Select(k => updates.TryGetValue((k.Account, k.KeyId), out var u) ? k with { LastUse = u } : k)];
            }
            Publish(current.With(changed, new Dictionary<string, RegionReadStatus>()));
        }
    }

    /// <summary>
    /// A follower (or a new leader) takes the snapshot the leader published as its own. A refresh running here (an instance
    /// that just lost the lead) keeps going, but what it publishes is no longer shared.
    /// </summary>
    internal void Adopt(InventorySnapshot snapshot)
    {
        lock (_gate) Publish(snapshot);
    }

    private RegionReader Reader(AwsAccount account, string region) =>
        _readers.GetOrAdd(account.IsDefault ? region : $"{account.Id}/{region}",
            _ => new RegionReader(region, _accounts.Clients(account).Kms(region), _options, _time, _policyPool, account.Id));

    /// <summary>Swaps in a new snapshot; called under <see cref="_gate"/>.</summary>
    private void Publish(InventorySnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        // Listeners run outside the lock so a slow page never holds the inventory up.
        ThreadPool.UnsafeQueueUserWorkItem(_ => Notify(), null);
    }

    private void NotifyProgress(bool force = false)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastProgressNotice);
        if (!force && now - last < 250) return;
        if (Interlocked.CompareExchange(ref _lastProgressNotice, now, last) != last && !force) return;
        Notify();
    }

    private void Notify()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            try
            {
                listener();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "An inventory listener failed");
            }
        }
    }

    public void Dispose()
    {
        // Cancelled, not disposed: a refresh still winding down may read its token.
        _disposed.Cancel();
        _lastUseRun?.Cancel();
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
