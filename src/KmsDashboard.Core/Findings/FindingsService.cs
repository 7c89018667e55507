using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Usage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// Runs the findings engine on the inventory snapshot plus cheap extra reads (CloudWatch usage, CloudTrail callers,
/// rotation history of keys under an incident tag; bucket catalog, Region health, drills and trail coverage when
/// available), stores the result with first/last seen, and publishes one shared <see cref="FindingsReport"/>.
/// Suppressions are Operator actions, validated and journaled.
/// </summary>
public sealed class FindingsService
{
    /// <summary>Journal action names.</summary>
    public const string SuppressAction = "SuppressFinding", LiftAction = "LiftFindingSuppression";

    /// <summary>The cryptographic operations read from CloudTrail for checks 1, 11 and 12.</summary>
    internal static readonly string[] TrailOperations = ["Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt", "Sign", "GenerateMac"];

    private readonly KeyInventory _inventory;
    private readonly FindingsStore _store;
    private readonly ActionJournal _journal;
    private readonly IAuthorizationService _authorization;
    private readonly IServiceProvider _services;
    private readonly FindingsOptions _options;
    private readonly ILogger<FindingsService> _logger;
    private readonly TimeProvider _time;
    private readonly FindingsEngine _engine;
    private readonly IFindingsCluster? _cluster;
    private readonly SemaphoreSlim _evaluating = new(1, 1);
    private readonly Lock _gate = new();
    private Action[] _listeners = [];
    private FindingsReport _current = FindingsReport.Empty;
    private (UsageFacts Facts, DateTimeOffset At)? _usage;
    private (TrailFacts Facts, DateTimeOffset At)? _trail;
    private readonly Dictionary<string, (KeyRotationHistory History, DateTimeOffset At)> _rotations = new(StringComparer.Ordinal);

    /// <summary>
    /// The (account, Region) pairs whose customer keys are read for usage and CloudTrail: each account's keys in its own
    /// account (the single account's account is "" and null).
    /// </summary>
    private IEnumerable<(AwsAccount? Account, string Region, IReadOnlyList<RegionalKey> Keys)> KeysByAccountAndRegion(InventorySnapshot snapshot)
    {
        var accounts = snapshot.MultiAccount ? _services.GetService<AwsAccounts>() : null;
        foreach (var region in snapshot.Regions)
            foreach (var group in (snapshot.KeysByRegion.GetValueOrDefault(region) ?? []).Where(k => !k.AwsManaged).GroupBy(k => k.Account, StringComparer.Ordinal))
            {
                var account = group.Key.Length == 0 ? null : accounts?.Find(group.Key);
                // A key of an account the dashboard no longer reads keeps its last good data; nothing can be asked for it.
                if (group.Key.Length > 0 && account is null) continue;
                yield return (account, region, [.. group]);
            }
    }

    /// <summary>How a failed read is named: the Region, and with several accounts the account too.</summary>
    internal static string FailedKey(InventorySnapshot snapshot, string account, string region) =>
        account.Length == 0 ? region : $"{region} ({snapshot.AccountName(account)})";

    public FindingsService(KeyInventory inventory, FindingsStore store, ActionJournal journal, IAuthorizationService authorization, IServiceProvider services,
        IOptions<FindingsOptions> options, ILogger<FindingsService> logger, TimeProvider? time = null, IFindingsCluster? cluster = null)
    {
        _cluster = cluster;
        _inventory = inventory;
        _store = store;
        _journal = journal;
        _authorization = authorization;
        _services = services;
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _engine = new FindingsEngine(_options);
    }

    public FindingsOptions Options => _options;

    /// <summary>The latest report (empty before the first evaluation).</summary>
    public FindingsReport Current => Volatile.Read(ref _current);

    /// <summary>Whether an evaluation is under way.</summary>
    public bool Evaluating => _evaluating.CurrentCount == 0;

    public IDisposable Changed(Action listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Subscription(() => { lock (_gate) _listeners = [.. _listeners.Where(l => l != listener)]; });
    }

    /// <summary>
    /// True when this instance evaluates: a single instance, or the cluster's leader. A follower serves what the leader
    /// stored and hands <see cref="EvaluateAsync"/> to it.
    /// </summary>
    public bool EvaluatesHere => _cluster is null || _cluster.IsLeader;

    /// <summary>Loads the stored findings (after a restart) without evaluating.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Current.EvaluatedAt is not null) return;
        await ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// Serves what the store holds now: the latest evaluation (with what it could not evaluate) and the findings. How a
    /// follower takes up an evaluation the leader stored.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        if (await _store.LatestEvaluationAsync(cancellationToken) is not { } latest) return;
        var notes = latest.Notes is { Length: > 0 } json ? JsonSerializer.Deserialize<CheckNote[]>(json) ?? [] : [];
        Publish(await BuildReportAsync(new DateTimeOffset(DateTime.SpecifyKind(latest.At, DateTimeKind.Utc)), notes,
            TimeSpan.FromMilliseconds(latest.DurationMs), cancellationToken));
    }

    /// <summary>
    /// Evaluates every check now on the current snapshot (refreshing the inventory first if it was never read), stores the
    /// result and publishes it. Evaluations never overlap; a caller arriving during one waits for it and runs its own.
    /// In a cluster only the leader evaluates: a follower asks it and returns the report it stored, once served here.
    /// </summary>
    public async Task<FindingsReport> EvaluateAsync(CancellationToken cancellationToken)
    {
        if (_cluster is { IsLeader: false } cluster)
        {
            await cluster.RequestEvaluationAsync(cancellationToken);
            return Current;
        }
        await _evaluating.WaitAsync(cancellationToken);
        // The followers' requests made before this evaluation began: it answers them.
        var answering = _cluster?.TakeRequests() ?? [];
        try
        {
            if (_inventory.Current.ReadAt is null) await _inventory.RefreshAsync(cancellationToken);
            var input = await GatherAsync(_inventory.Current, cancellationToken);
            var evaluation = _engine.Evaluate(input);
            var failing = FailingRegions(input);
            var snapshot = input.Snapshot;
            var regionsOf = failing.Count == 0 ? null : snapshot.CustomerKeys.ToLookup(k => k.KeyId, k => k.Region, StringComparer.Ordinal);
            // An account whose role could not be assumed keeps its last good keys: its findings are stale, never fixed.
            var failingAccounts = snapshot.Accounts.Where(a => a.AssumeError is not null)
                .ToDictionary(a => a.Id, a => $"Account {a.Label} could not be read ({a.AssumeError}); its last good data is shown", StringComparer.Ordinal);
            string? StaleReason(string keyId, string? region, string account)
            {
                if (account.Length > 0 && failingAccounts.TryGetValue(account, out var accountWhy)) return accountWhy;
                if (region is not null || regionsOf is null) return region is null ? null : failing.GetValueOrDefault(region);
                foreach (var memberRegion in regionsOf[keyId])
                    if (failing.TryGetValue(memberRegion, out var why)) return why;
                return null;
            }
            var suppressions = await _store.SuppressionsAsync(cancellationToken);
            var active = ActiveSuppressions(suppressions, input.Now);
            await _store.ApplyAsync(evaluation, StaleReason, records => Totals(records, active, snapshot), TimeSpan.FromDays(_options.HistoryDays), cancellationToken);
            var report = await BuildReportAsync(evaluation.At, evaluation.NotEvaluated, evaluation.Duration, cancellationToken);
            Publish(report);
            _logger.LogInformation("Findings evaluated: {Count} findings on {Keys} keys in {Milliseconds} ms, {Notes} checks not evaluated somewhere",
                evaluation.Findings.Count, snapshot.KeyCount, (int)evaluation.Duration.TotalMilliseconds, evaluation.NotEvaluated.Count);
            await TellClusterAsync(c => c.StoredAsync(answering, CancellationToken.None));
            return report;
        }
        catch (Exception ex) when (answering.Count > 0)
        {
            await TellClusterAsync(c => c.FailedAsync(answering, ex.Message, CancellationToken.None));
            throw;
        }
        finally
        {
            _evaluating.Release();
        }
    }

    /// <summary>Suppresses a finding until <paramref name="expiresAt"/> with a reason (Operator or Admin); journaled.</summary>
    public async Task<SuppressionOutcome> SuppressAsync(ClaimsPrincipal user, string findingId, string? reason, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var who = DashboardUser.From(user);
        var now = _time.GetUtcNow();
        var finding = Current.Find(findingId ?? "");
        var keyId = finding?.KeyId ?? "";
        var region = finding?.Region ?? "";
        var inputs = JsonSerializer.Serialize(new { findingId, reason, expiresAt });
        if (!(await _authorization.AuthorizeAsync(user, null, DashboardPolicies.CanOperate)).Succeeded)
        {
            var id = await JournalAsync(who, SuppressAction, keyId, region, "Refused", "Suppressing a finding needs the Operator or Admin role.", inputs, cancellationToken);
            return new SuppressionOutcome(false, "Suppressing a finding needs the Operator or Admin role.", null, id);
        }
        var problem = finding is null ? $"No finding '{findingId}' in the latest evaluation."
            : !finding.IsOpen ? "The finding is already fixed."
            : finding.IsSuppressed ? $"The finding is already suppressed until {finding.Suppression!.ExpiresAt:yyyy-MM-dd}."
            : string.IsNullOrWhiteSpace(reason) ? "Give a reason for the suppression."
            : reason.Trim().Length > 500 ? "The reason is longer than 500 characters."
            : expiresAt <= now ? "The expiry must be in the future."
            : expiresAt > now.AddDays(_options.MaxSuppressionDays) ? $"A suppression lasts at most {_options.MaxSuppressionDays} days (Findings:MaxSuppressionDays)."
            : null;
        if (problem is not null) return new SuppressionOutcome(false, problem);
        var record = await _store.AddSuppressionAsync(new SuppressionRecord
        {
            FindingId = finding!.Id, CheckId = finding.Check.Id, KeyId = finding.KeyId, Region = finding.Region, Reason = reason!.Trim(),
            CreatedBy = who.Name, CreatedAt = now.UtcDateTime, ExpiresAt = expiresAt.UtcDateTime,
        }, cancellationToken);
        var summary = $"Suppressed {finding.Check.Id} on {finding.KeyName}{(finding.Region is null ? "" : $" in {finding.Region}")} until {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {record.Reason}";
        var entry = await JournalAsync(who, SuppressAction, finding.KeyId, finding.Region ?? "", "Succeeded", summary, inputs, cancellationToken);
        Publish(await BuildReportAsync(Current.EvaluatedAt, Current.NotEvaluated, Current.Duration, cancellationToken));
        await TellClusterAsync(c => c.StoredAsync([], CancellationToken.None));
        return new SuppressionOutcome(true, summary, record, entry);
    }

    /// <summary>Ends a suppression before its expiry (Operator or Admin); journaled.</summary>
    public async Task<SuppressionOutcome> LiftAsync(ClaimsPrincipal user, long suppressionId, CancellationToken cancellationToken)
    {
        var who = DashboardUser.From(user);
        var inputs = JsonSerializer.Serialize(new { suppressionId });
        if (!(await _authorization.AuthorizeAsync(user, null, DashboardPolicies.CanOperate)).Succeeded)
        {
            var id = await JournalAsync(who, LiftAction, "", "", "Refused", "Lifting a suppression needs the Operator or Admin role.", inputs, cancellationToken);
            return new SuppressionOutcome(false, "Lifting a suppression needs the Operator or Admin role.", null, id);
        }
        var lifted = await _store.LiftSuppressionAsync(suppressionId, who.Name, _time.GetUtcNow(), cancellationToken);
        if (lifted is null) return new SuppressionOutcome(false, $"No active suppression {suppressionId}.");
        var summary = $"Lifted the suppression of {lifted.CheckId} on {lifted.KeyId}{(lifted.Region is null ? "" : $" in {lifted.Region}")}";
        var entry = await JournalAsync(who, LiftAction, lifted.KeyId, lifted.Region ?? "", "Succeeded", summary, inputs, cancellationToken);
        Publish(await BuildReportAsync(Current.EvaluatedAt, Current.NotEvaluated, Current.Duration, cancellationToken));
        await TellClusterAsync(c => c.StoredAsync([], CancellationToken.None));
        return new SuppressionOutcome(true, summary, lifted, entry);
    }

    // ---- evaluation input ------------------------------------------------------------------------------------------

    internal async Task<FindingsInput> GatherAsync(InventorySnapshot snapshot, CancellationToken cancellationToken)
    {
        // Whole microseconds, as PostgreSQL stores them: the evaluation's time is then the same here and on instances that load it.
        var now = _time.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        var bucketsTask = ReadBucketsAsync(unavailable, cancellationToken);
        var usageTask = ReadUsageAsync(snapshot, now, unavailable, cancellationToken);
        var trailTask = ReadTrailAsync(snapshot, now, unavailable, cancellationToken);
        var drillsTask = ReadDrillsAsync(unavailable, cancellationToken);
        var coverageTask = ReadCoverageAsync(snapshot, unavailable, cancellationToken);
        var rotationsTask = ReadIncidentRotationsAsync(snapshot, now, unavailable, cancellationToken);
        await Task.WhenAll(bucketsTask, usageTask, trailTask, drillsTask, coverageTask, rotationsTask);
        return new FindingsInput
        {
            Snapshot = snapshot,
            Now = now,
            Buckets = bucketsTask.Result,
            RegionHealth = _services.GetService<RegionHealth>()?.Regions,
            Usage = usageTask.Result,
            Trail = trailTask.Result,
            LastDrills = drillsTask.Result,
            TrailCoverage = coverageTask.Result,
            Grants = GrantsAlreadyRead(snapshot, unavailable),
            IncidentRotations = rotationsTask.Result,
            Unavailable = unavailable,
        };
    }

    private async Task<BucketCatalogSnapshot?> ReadBucketsAsync(Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        if (_services.GetService<BucketCatalog>() is not { } catalog)
        {
            lock (unavailable) unavailable["buckets"] = "the S3 bucket catalog is not part of this deployment";
            return null;
        }
        try
        {
            var read = await catalog.GetAsync(false, cancellationToken);
            if (read.Error is { } error) lock (unavailable) unavailable["buckets"] = $"ListBuckets failed ({error})";
            return read.ReadAt is null ? null : read;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (unavailable) unavailable["buckets"] = ex.Message;
            return null;
        }
    }

    private async Task<UsageFacts?> ReadUsageAsync(InventorySnapshot snapshot, DateTimeOffset now, Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        if (_usage is { } cached && now - cached.At < _options.ExtraReadsCacheDuration) return cached.Facts;
        if (_services.GetService<UsageReader>() is not { } reader)
        {
            lock (unavailable) unavailable["usage"] = "CloudWatch usage is not part of this deployment";
            return null;
        }
        var dayStart = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        var range = new UsageRange(UsageRangeKind.Last90Days, dayStart.AddDays(-90), now, 86400);
        var thirtyFrom = (int)Math.Max(0, (now.AddDays(-30) - range.Start).TotalSeconds / range.PeriodSeconds);
        var byArn = new Dictionary<string, KeyUsageFacts>(StringComparer.Ordinal);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        // Each account's keys are read from that account's CloudWatch (its own metrics), with its clients.
        var regions = await Task.WhenAll(KeysByAccountAndRegion(snapshot).Select(async part =>
        {
            var (account, region, keys) = part;
            var arns = keys.Select(k => k.Arn).ToList();
            try
            {
                return await reader.ReadRegionAsync(region, range, arns, onlyKnownKeys: true, cancellationToken, account);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new RegionUsage(region, [], ex.Message, 0, 0) { Account = account?.Id ?? "" };
            }
        }));
        foreach (var region in regions)
        {
            if (region.Error is { } error) { failed[FailedKey(snapshot, region.Account, region.Region)] = error; continue; }
            foreach (var key in region.Series.GroupBy(s => s.KeyArn, StringComparer.Ordinal))
            {
                var last = key.Select(s => Array.FindLastIndex(s.Values, v => v > 0)).Max();
                var ops = key.GroupBy(s => s.Operation, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(s => s.Values.Skip(thirtyFrom).Sum()), StringComparer.Ordinal);
                byArn[key.Key] = new KeyUsageFacts(last >= 0 ? range.Start.AddDays(last) : null, ops);
            }
        }
        var facts = new UsageFacts(byArn, failed, now);
        // A Region that failed is read again next time rather than served from the cache.
        if (failed.Count == 0) _usage = (facts, now);
        return facts;
    }

    private async Task<TrailFacts?> ReadTrailAsync(InventorySnapshot snapshot, DateTimeOffset now, Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        if (_trail is { } cached && now - cached.At < _options.ExtraReadsCacheDuration) return cached.Facts;
        if (_options.CloudTrailPagesPerRegion == 0)
        {
            lock (unavailable) unavailable["trail"] = "Findings:CloudTrailPagesPerRegion is 0";
            return null;
        }
        if (_services.GetService<CloudTrailClients>() is not { } trail)
        {
            lock (unavailable) unavailable["trail"] = "CloudTrail is not part of this deployment";
            return null;
        }
        var from = now - _options.CloudTrailWindow;
        var tallies = new List<TrailCallTally>();
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        // Each account's keys are looked up in that account's CloudTrail (its own events), with its clients.
        await Task.WhenAll(KeysByAccountAndRegion(snapshot).Select(async part =>
        {
            var (account, region, accountKeys) = part;
            var keys = accountKeys.ToDictionary(k => k.Arn, StringComparer.Ordinal);
            var client = account is null ? trail.For(region)
                : trail.Of(_services.GetRequiredService<AwsAccounts>(), account).For(region);
            var counts = new Dictionary<(string KeyId, string Principal), Tally>();
            try
            {
                // One lookup per operation (LookupEvents takes one attribute): the dashboard's own reads never crowd them out.
                var perOperation = Math.Max(1, _options.CloudTrailPagesPerRegion / TrailOperations.Length);
                foreach (var operation in TrailOperations)
                {
                    var pages = 0;
                    var request = new LookupEventsRequest
                    {
                        LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventName, AttributeValue = operation }],
                        StartTime = from.UtcDateTime, EndTime = now.UtcDateTime, MaxResults = 50,
                    };
                    await foreach (var page in client.LookupAllPagesAsync(request, cancellationToken))
                    {
                        foreach (var e in page.Events)
                        {
                            if (e.EventSource != "kms.amazonaws.com") continue;
                            var parsed = CloudTrailRecordParser.Parse(e, region);
                            if (parsed.EventType == "AwsServiceEvent") continue;
                            var key = parsed.KeyArns.Select(a => keys.GetValueOrDefault(a)).FirstOrDefault(k => k is not null);
                            if (key is null) continue;
                            var (principal, _) = DependentsService.PrincipalOf(parsed);
                            if (!counts.TryGetValue((key.KeyId, principal), out var t)) counts[(key.KeyId, principal)] = t = new Tally();
                            t.Add(parsed);
                        }
                        if (++pages >= perOperation) break;
                    }
                }
            }
            catch (Exception ex) when (ex is AwsServiceException || BucketCatalog.IsAwsFailure(ex))
            {
                lock (failed) failed[FailedKey(snapshot, account?.Id ?? "", region)] = ex is AwsServiceException aws ? $"{aws.ErrorCode}: {aws.Message}" : BucketCatalog.Describe(ex);
            }
            lock (tallies)
                tallies.AddRange(counts.Select(c => new TrailCallTally(region, c.Key.KeyId, c.Key.Principal, c.Value.Calls, c.Value.ById, c.Value.Example,
                    c.Value.WithoutVpce, c.Value.Events, c.Value.LastSeen)));
        }));
        var facts = new TrailFacts(tallies, failed, from, now);
        if (failed.Count == 0) _trail = (facts, now);
        return facts;
    }

    private async Task<IReadOnlyDictionary<string, DateTimeOffset>?> ReadDrillsAsync(Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        if (_services.GetService<IFailoverDrillHistory>() is not { } drills)
        {
            lock (unavailable) unavailable["drills"] = "no failover drill history is registered in this deployment";
            return null;
        }
        try
        {
            return await drills.LastDrillsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (unavailable) unavailable["drills"] = $"the drill history could not be read ({ex.Message})";
            return null;
        }
    }

    private async Task<IReadOnlyList<TrailCoverage>?> ReadCoverageAsync(InventorySnapshot snapshot, Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        if (_services.GetService<ITrailCoverageReader>() is not { } reader)
        {
            lock (unavailable) unavailable["trail-coverage"] = "no CloudTrail trail reader is registered in this deployment";
            return null;
        }
        try
        {
            // With several accounts each account's trails are read with its own clients, in its own Regions.
            if (snapshot.MultiAccount && _services.GetService<AwsAccounts>() is { MultiAccount: true } accounts
                && _services.GetService<CloudTrailClients>() is { } trail)
            {
                var perAccount = await Task.WhenAll(snapshot.Accounts.Select(s => accounts.Find(s.Id)).OfType<AwsAccount>().Select(async account =>
                {
                    var clients = trail.Of(accounts, account);
                    try
                    {
                        return (await new TrailCoverageReader(clients).ReadAsync(account.Regions, cancellationToken)).Select(c => c with { Account = account.Id }).ToList();
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        return account.Regions.Select(r => new TrailCoverage(r, false, null, ex.Message) { Account = account.Id }).ToList();
                    }
                }));
                return [.. perAccount.SelectMany(c => c)];
            }
            return await reader.ReadAsync(snapshot.Regions, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (unavailable) unavailable["trail-coverage"] = $"trails could not be read ({ex.Message})";
            return null;
        }
    }

    private async Task<IReadOnlyDictionary<string, KeyRotationHistory>?> ReadIncidentRotationsAsync(InventorySnapshot snapshot, DateTimeOffset now,
        Dictionary<string, string> unavailable, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.IncidentTag)) return null;
        var owners = snapshot.CustomerKeys.Where(k => k.Role != MultiRegionRole.Replica && k.Rotation.Applies && !k.IsPendingDeletion)
            .Where(k => snapshot.FindById(k.KeyId).Any(m => m.Tags.ContainsKey(_options.IncidentTag))).ToList();
        var result = new Dictionary<string, KeyRotationHistory>(StringComparer.Ordinal);
        foreach (var key in owners)
        {
            lock (_rotations)
                if (_rotations.TryGetValue(key.KeyId, out var cached) && now - cached.At < _options.ExtraReadsCacheDuration) { result[key.KeyId] = cached.History; continue; }
            try
            {
                var history = await _inventory.ReadRotationHistoryAsync(key.Ref, cancellationToken);
                lock (_rotations) _rotations[key.KeyId] = (history, now);
                result[key.KeyId] = history;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Rotation history of {KeyId} in {Region} unavailable: {Message}", key.KeyId, key.Region, ex.Message);
                lock (unavailable) unavailable["rotations"] = $"its rotation history could not be read ({ex.Message})";
            }
        }
        return result;
    }

    /// <summary>Grants from the dependents already read (the key page's Dependents tab): no extra ListGrants here.</summary>
    private IReadOnlyDictionary<KeyRef, IReadOnlyList<KeyGrant>>? GrantsAlreadyRead(InventorySnapshot snapshot, Dictionary<string, string> unavailable)
    {
        if (_services.GetService<DependentsService>() is not { } dependents)
        {
            unavailable["grants"] = "the dependents model is not part of this deployment";
            return null;
        }
        var grants = new Dictionary<KeyRef, IReadOnlyList<KeyGrant>>();
        foreach (var (account, keyId) in snapshot.CustomerKeys.Select(k => (k.Account, k.KeyId)).Distinct())
        {
            if (dependents.Latest(keyId, account) is not { } read) continue;
            foreach (var region in read.Regions.Where(r => r.GrantsError is null))
                grants[new KeyRef(region.Region, keyId, account)] = region.Grants;
        }
        if (grants.Count > 0) return grants;
        unavailable["grants"] = "no key's grants were read yet (they are read on a key's Dependents tab)";
        return null;
    }

    private Dictionary<string, string> FailingRegions(FindingsInput input)
    {
        var failing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var status in input.Snapshot.RegionStatus.Values.Where(s => s.Error is not null))
            failing[status.Region] = $"{status.Region} could not be read ({status.Error}); its last good data is shown";
        foreach (var status in input.RegionHealth ?? [])
            if (status.Reachability == RegionReachability.Unreachable && !failing.ContainsKey(status.Region))
                failing[status.Region] = $"{status.Region} is unreachable ({status.LastError})";
        return failing;
    }

    // ---- report ----------------------------------------------------------------------------------------------------

    private static Dictionary<string, SuppressionRecord> ActiveSuppressions(IEnumerable<SuppressionRecord> suppressions, DateTimeOffset now) =>
        suppressions.Where(s => s.IsActive(now)).GroupBy(s => s.FindingId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(s => s.ExpiresAt).First(), StringComparer.Ordinal);

    private static EvaluationRecord Totals(IReadOnlyList<FindingRecord> records, Dictionary<string, SuppressionRecord> active, InventorySnapshot snapshot)
    {
        var open = records.Where(r => r.FixedAt is null).ToList();
        var counting = open.Where(r => !active.ContainsKey(r.Id)).ToList();
        int Count(FindingSeverity s) => counting.Count(r => r.Severity == s.ToString());
        var (_, estate) = Scores(counting.Select(r => (r.KeyId, Enum.Parse<FindingSeverity>(r.Severity))), snapshot);
        return new EvaluationRecord
        {
            Critical = Count(FindingSeverity.Critical), High = Count(FindingSeverity.High), Medium = Count(FindingSeverity.Medium),
            Low = Count(FindingSeverity.Low), Info = Count(FindingSeverity.Info), Stale = open.Count(r => r.Stale),
            Suppressed = open.Count - counting.Count, EstateScore = estate,
        };
    }

    /// <summary>A score per key set / single-Region key (100 less the weights of its counting findings, at least 0) and their mean.</summary>
    internal static (Dictionary<string, int> Keys, double Estate) Scores(IEnumerable<(string KeyId, FindingSeverity Severity)> counting, InventorySnapshot snapshot)
    {
        var lost = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (keyId, severity) in counting) lost[keyId] = lost.GetValueOrDefault(keyId) + FindingsReport.Weight(severity);
        var units = snapshot.KeySets.Select(s => s.KeyId).Concat(snapshot.SingleRegionKeys.Select(k => k.KeyId)).Distinct(StringComparer.Ordinal).ToList();
        var scores = units.ToDictionary(u => u, u => Math.Max(0, 100 - lost.GetValueOrDefault(u)), StringComparer.Ordinal);
        return (scores, scores.Count == 0 ? 100 : Math.Round(scores.Values.Average(), 1));
    }

    private async Task<FindingsReport> BuildReportAsync(DateTimeOffset? at, IReadOnlyList<CheckNote> notes, TimeSpan? duration, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var records = await _store.ListAsync(now, TimeSpan.FromDays(7), cancellationToken);
        var suppressions = await _store.SuppressionsAsync(cancellationToken);
        var active = ActiveSuppressions(suppressions, now);
        var views = records.Select(r => new FindingView
        {
            Id = r.Id,
            Check = FindingChecks.Find(r.CheckId) ?? new FindingCheck(r.CheckId, "?", r.CheckId, Enum.Parse<FindingSeverity>(r.Severity), "", ""),
            Severity = Enum.Parse<FindingSeverity>(r.Severity),
            KeyId = r.KeyId,
            KeyName = r.KeyName,
            Region = r.Region,
            Account = r.Account,
            Subject = r.Subject,
            Evidence = JsonSerializer.Deserialize<string[]>(r.Evidence) ?? [],
            Fix = FindingsStore.FixOf(r),
            MonthlySaving = r.MonthlySaving,
            FirstSeen = Utc(r.FirstSeen),
            LastSeen = Utc(r.LastSeen),
            FixedAt = r.FixedAt is { } f ? Utc(f) : null,
            Stale = r.Stale,
            StaleReason = r.StaleReason,
            Suppression = active.GetValueOrDefault(r.Id),
        }).OrderByDescending(v => v.IsOpen).ThenByDescending(v => v.Severity).ThenBy(v => v.Check.Id, StringComparer.Ordinal)
          .ThenBy(v => v.KeyName, StringComparer.OrdinalIgnoreCase).ThenBy(v => v.Region, StringComparer.Ordinal).ToList();
        var (scores, estate) = Scores(views.Where(v => v.Counts).Select(v => (v.KeyId, v.Severity)), _inventory.Current);
        var trend = await _store.EvaluationsAsync(now.AddDays(-30), cancellationToken);
        if (trend.Count > 1000) trend = [.. trend.Where((_, i) => i % (trend.Count / 1000 + 1) == 0 || i == trend.Count - 1)];
        return new FindingsReport(at, views, notes, scores, estate, trend, suppressions, duration);
    }

    /// <summary>Tells the other instances of a cluster what changed in the store; a failure is logged (they catch up at the next notice).</summary>
    private async Task TellClusterAsync(Func<IFindingsCluster, Task> tell)
    {
        if (_cluster is null) return;
        try
        {
            await tell(_cluster);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Could not tell the cluster's other instances about the stored findings: {Reason}", ex.Message);
        }
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private void Publish(FindingsReport report)
    {
        Volatile.Write(ref _current, report);
        foreach (var listener in _listeners)
        {
            try { listener(); }
            catch (Exception ex) { _logger.LogWarning(ex, "A findings listener failed"); }
        }
    }

    private async Task<long?> JournalAsync(DashboardUser who, string action, string keyId, string region, string outcome, string summary, string inputs, CancellationToken cancellationToken)
    {
        try
        {
            return await _journal.AppendAsync(new JournalEntry
            {
                At = _time.GetUtcNow().UtcDateTime, User = who.Name, Roles = string.Join(",", who.Roles), Action = action, KeyId = keyId, Region = region,
                Outcome = outcome, Summary = summary, Inputs = inputs,
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && outcome == "Refused")
        {
            _logger.LogWarning(ex, "Could not journal a refused {Action} by {User}", action, who.Name);
            return null;
        }
    }

    private sealed class Tally
    {
        public int Calls, ById, WithoutVpce;
        public string? Example;
        public List<string> Events { get; } = [];
        public DateTimeOffset LastSeen = DateTimeOffset.MinValue;

        public void Add(AuditEvent e)
        {
            Calls++;
            if (e.RequestKeyId is { Length: > 0 } named && !named.StartsWith("alias/", StringComparison.Ordinal) && !named.Contains(":alias/", StringComparison.Ordinal))
            {
                ById++;
                Example ??= named;
            }
            if (!HasVpcEndpoint(e.Record)) WithoutVpce++;
            if (e.EventTime > LastSeen) LastSeen = e.EventTime;
            if (Events.Count < 3 && e.EventId.Length > 0) Events.Add(e.EventId);
        }

        private static bool HasVpcEndpoint(string record)
        {
            if (!record.Contains("\"vpcEndpointId\"", StringComparison.Ordinal)) return false;
            try
            {
                using var doc = JsonDocument.Parse(record);
                return doc.RootElement.TryGetProperty("vpcEndpointId", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 };
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
