using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Who and what depends on a key set: buckets whose default encryption names it by any of its names, replication
/// rules encrypting replicas with it (from the shared <see cref="BucketCatalog"/>), and per Region its grants
/// (ListGrants, paced) and the principals and services CloudTrail saw using it (the Audit service's paced CloudTrail
/// clients). Regions are read in parallel; a failing Region, bucket or S3 itself is reported, never hides the rest.
/// With several accounts, everything is read in the key's own account, through that account's clients (its assumed role):
/// its grants, its CloudTrail, and the buckets of every account naming the key.
/// </summary>
public sealed class DependentsService : Actions.IKeyDependentsRadius
{
    /// <summary>The windows the callers view offers.</summary>
    public static readonly IReadOnlyList<TimeSpan> Windows = [TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(90)];
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>Operations that stop working when a key is disabled or deleted: the ones whose callers count.</summary>
    private static readonly HashSet<string> CryptographicOperations = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret", "GetPublicKey",
    };

    private readonly AwsClients _clients;
    private readonly CloudTrailClients _trail;
    private readonly KeyInventory _inventory;
    private readonly BucketCatalog _buckets;
    private readonly IAuthorizationService _authorization;
    private readonly DependentsOptions _options;
    private readonly ILogger<DependentsService> _logger;
    private readonly TimeProvider _time;
    private readonly FailureClock _failures = new();
    private readonly AwsAccounts? _accounts;
    private readonly ConcurrentDictionary<string, RequestPacer> _grantPacers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyDependents> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<KeyRef, GrantCount> _grantCounts = new();

    public DependentsService(AwsClients clients, CloudTrailClients trail, KeyInventory inventory, BucketCatalog buckets,
        IAuthorizationService authorization, IOptions<DependentsOptions> options, ILogger<DependentsService> logger, TimeProvider? time = null,
        AwsAccounts? accounts = null)
    {
        _accounts = accounts;
        _authorization = authorization;
        _clients = clients;
        _trail = trail;
        _inventory = inventory;
        _buckets = buckets;
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public BucketCatalog Buckets => _buckets;

    /// <summary>The last read of this key set's dependents (any window) in <paramref name="account"/> ("" or null: the single account's), or null.</summary>
    public KeyDependents? Latest(string keyId, string? account = null) => _latest.GetValueOrDefault(Scoped(account, keyId));

    private static string Scoped(string? account, string keyId) => string.IsNullOrEmpty(account) ? keyId : $"{account}/{keyId}";

    /// <summary>The clients of <paramref name="account"/> ("": the dashboard's own, the single-account set-up).</summary>
    private AwsClients ClientsOf(string account)
    {
        if (account.Length == 0 || _accounts is not { MultiAccount: true } accounts) return _clients;
        return accounts.Clients(AccountOf(accounts, account));
    }

    private static AwsAccount AccountOf(AwsAccounts accounts, string account) => accounts.Find(account)
        ?? throw new ArgumentException($"Account {account} is not one of the dashboard's accounts.", nameof(account));

    /// <summary>CloudTrail of <paramref name="account"/>, paced by the shared limiter (so never faster than one account's allowance).</summary>
    private CloudTrailClient TrailOf(string account, string region) =>
        account.Length == 0 || _accounts is not { MultiAccount: true }
            ? _trail.For(region)
            : _trail.Of(_accounts, AccountOf(_accounts, account)).For(region);

    /// <summary>
    /// Reads the key set's dependents for <paramref name="user"/>: any dashboard role sees buckets, replication rules and
    /// grants; CloudTrail callers only Auditors and Admins (as on the Audit page). Throws <see cref="UnauthorizedAccessException"/>
    /// for a user with no dashboard role.
    /// </summary>
    public async Task<KeyDependents> ReadAsync(ClaimsPrincipal user, string keyId, TimeSpan window, bool refreshBuckets, CancellationToken cancellationToken,
        string? account = null)
    {
        if (!(await _authorization.AuthorizeAsync(user, null, DashboardPolicies.CanRead)).Succeeded)
            throw new UnauthorizedAccessException("Sign in with a dashboard role to see what depends on a key.");
        var callers = (await _authorization.AuthorizeAsync(user, null, DashboardPolicies.CanAudit)).Succeeded;
        return await ReadAsync(keyId, window, refreshBuckets, cancellationToken, includeCallers: callers, account: account);
    }

    /// <summary>
    /// Reads the key set's dependents now, in <paramref name="account"/> (null: the single account, or the first account
    /// holding the id). <paramref name="refreshBuckets"/> re-reads S3 even if its cache is fresh.
    /// </summary>
    public async Task<KeyDependents> ReadAsync(string keyId, TimeSpan window, bool refreshBuckets, CancellationToken cancellationToken, bool includeCallers = true,
        string? account = null)
    {
        if (!string.IsNullOrEmpty(account) && (_accounts is not { MultiAccount: true } || _accounts.Find(account) is null))
            throw new ArgumentException(_accounts is { MultiAccount: true } ? $"Account {account} is not one of the dashboard's accounts." : $"The dashboard reads one account, so no account is chosen (got {account}).", nameof(account));
        if (window < TimeSpan.FromHours(1) || window > AuditQuery.Retention)
            throw new ArgumentOutOfRangeException(nameof(window), window, "The CloudTrail window must be between 1 hour and 90 days (CloudTrail keeps 90 days).");
        if (_inventory.Current.ReadAt is null) await _inventory.RefreshAsync(cancellationToken);
        var snapshot = _inventory.Current;
        var scope = string.IsNullOrEmpty(account) ? null : account;
        var members = Members(snapshot, keyId, scope);
        if (members.Count == 0)
        {
            // Perhaps created since the last refresh.
            await _inventory.RefreshAsync(cancellationToken);
            snapshot = _inventory.Current;
            members = Members(snapshot, keyId, scope);
        }
        if (members.Count == 0)
            throw new ArgumentException($"No key '{keyId}' in the inventory (in any configured Region{(scope is null ? "" : $" of account {scope}")}).", nameof(keyId));
        var owner = members[0].Account;

        var now = _time.GetUtcNow();
        var catalogTask = _buckets.GetAsync(refreshBuckets, cancellationToken);
        var regionTasks = members.Select(m => ReadRegionAsync(m, now - window, now, includeCallers, cancellationToken)).ToList();
        var catalog = await catalogTask;
        var regions = await Task.WhenAll(regionTasks);
        // Every account's buckets may name the key (by its ARN); what could not be read is the key's own account's S3.
        var own = snapshot.MultiAccount ? _buckets.CurrentOf(owner) : catalog;

        var result = new KeyDependents
        {
            KeyId = keyId,
            Account = owner,
            AccountError = snapshot.FindAccount(owner)?.AssumeError,
            DisplayName = snapshot.FindKeySet(keyId, owner)?.DisplayName ?? members[0].DisplayName,
            Window = window,
            CallersHidden = !includeCallers,
            Regions = regions,
            Buckets = BucketsNaming(snapshot, catalog, owner, keyId),
            ReplicationRules = RulesNaming(snapshot, catalog, owner, keyId),
            FailingBuckets = [.. own.FailingBuckets],
            S3Error = own.Error,
            S3FailingSince = own.FailingSince,
            BucketsReadAt = own.ReadAt ?? catalog.ReadAt,
            ReadAt = _time.GetUtcNow(),
        };
        if (includeCallers) _latest[Scoped(owner, keyId)] = result;
        return result;
    }

    /// <summary>The key's members in <paramref name="account"/>; with none named, those of the first account holding the id (a set never spans accounts).</summary>
    private static IReadOnlyList<RegionalKey> Members(InventorySnapshot snapshot, string keyId, string? account)
    {
        var members = snapshot.FindById(keyId, account);
        return members.Count > 0 && members.Select(m => m.Account).Distinct(StringComparer.Ordinal).Count() > 1
            ? snapshot.FindById(keyId, members[0].Account)
            : members;
    }

    /// <summary>How recent a read a plan's blast radius may reuse.</summary>
    public static readonly TimeSpan ReuseForPlans = TimeSpan.FromMinutes(15);

    /// <inheritdoc cref="Actions.IKeyDependentsRadius.BlastRadiusAsync"/>
    public Task<BlastRadius?> BlastRadiusAsync(string keyId, string? account, IReadOnlyCollection<string>? regions, string consequence, CancellationToken cancellationToken) =>
        BlastRadiusAsync(keyId, regions, consequence, Actions.KeyOperations.DependentsBudget, cancellationToken, account);

    /// <summary>
    /// The blast radius for a destructive action's plan: the last read if recent, else a fresh read over
    /// <see cref="DefaultWindow"/>, given up after <paramref name="budget"/> (then null: the plan says it is not known).
    /// </summary>
    public async Task<BlastRadius?> BlastRadiusAsync(string keyId, IReadOnlyCollection<string>? regions, string consequence, TimeSpan budget, CancellationToken cancellationToken,
        string? account = null)
    {
        if (Latest(keyId, account) is { } latest && _time.GetUtcNow() - latest.ReadAt < ReuseForPlans) return latest.BlastRadiusIn(regions, consequence);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(budget);
        try
        {
            return (await ReadAsync(keyId, DefaultWindow, refreshBuckets: false, limit.Token, account: account)).BlastRadiusIn(regions, consequence);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("The blast radius of {KeyId} was not read within {Budget}", keyId, budget);
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// For the Overview: per key set the buckets and replication rules naming it (bucket catalog), its grants (one
    /// ListGrants per key, paced, cached like the catalog) and its callers when already read; and the keys pending
    /// deletion still in use over <paramref name="recent"/>.
    /// </summary>
    public async Task<DependentsSummary> SummaryAsync(TimeSpan recent, CancellationToken cancellationToken)
    {
        var snapshot = _inventory.Current;
        var catalogTask = _buckets.GetAsync(false, cancellationToken);
        var keys = snapshot.CustomerKeys.ToList();
        var failingRegions = new HashSet<string>(StringComparer.Ordinal);
        var grants = await Task.WhenAll(keys.Select(async key =>
        {
            var cacheKey = key.Ref;
            if (_grantCounts.TryGetValue(cacheKey, out var cached) && _time.GetUtcNow() - cached.ReadAt < _options.BucketCacheDuration) return (key, cached.Count);
            var (list, error, _) = await ReadGrantsAsync(key, cancellationToken);
            if (error is not null)
            {
                lock (failingRegions) failingRegions.Add(snapshot.MultiAccount ? $"{key.Region} ({snapshot.AccountName(key.Account)})" : key.Region);
                return (key, cached?.Count ?? 0);
            }
            _grantCounts[cacheKey] = new GrantCount(list.Count, _time.GetUtcNow());
            return (key, list.Count);
        }));
        var catalog = await catalogTask;
        var references = BucketReferences(snapshot, catalog).ToList();
        var counts = grants.GroupBy(g => (g.key.Account, g.key.KeyId)).Select(group =>
        {
            var (account, keyId) = group.Key;
            var latest = Latest(keyId, account);
            return new KeySetDependentsCount(keyId, snapshot.FindKeySet(keyId, account)?.DisplayName ?? group.First().key.DisplayName,
                references.Count(r => r.Names(account, keyId) && r.Rule is null), references.Count(r => r.Names(account, keyId) && r.Rule is not null),
                group.Sum(g => g.Item2), latest?.CallersHidden == false ? latest.DistinctPrincipals.Count : null) { Account = account };
        }).OrderByDescending(c => c.Total).ThenBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
        return new DependentsSummary(_time.GetUtcNow(), counts, PendingDeletionInUse(snapshot, recent), catalog.Error,
            catalog.FailingBuckets.Count(), [.. failingRegions.Order(StringComparer.Ordinal)]);
    }

    /// <summary>Buckets and replication rules naming each key id, from the bucket catalog as last read (no AWS call).</summary>
    public IReadOnlyDictionary<string, int> ConfigurationCounts(InventorySnapshot snapshot)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var reference in BucketReferences(snapshot, _buckets.Current))
            counts[reference.KeyId] = counts.GetValueOrDefault(reference.KeyId) + 1;
        return counts;
    }

    /// <summary>
    /// Keys pending deletion that are still in use: a bucket default naming them, a cryptographic use in the last
    /// <paramref name="recent"/> (GetKeyLastUsage from the inventory, or CloudTrail callers already read).
    /// </summary>
    public IReadOnlyList<PendingDeletionInUse> PendingDeletionInUse(InventorySnapshot snapshot, TimeSpan recent)
    {
        var now = _time.GetUtcNow();
        var references = BucketReferences(snapshot, _buckets.Current).ToList();
        var alarms = new List<PendingDeletionInUse>();
        foreach (var key in snapshot.CustomerKeys.Where(k => k.IsPendingDeletion))
        {
            var reasons = new List<string>();
            var buckets = references.Where(r => r.Names(key.Account, key.KeyId) && r.Match.Region == key.Region).Select(r => r.Describe).ToList();
            if (buckets.Count > 0) reasons.Add(string.Join("; ", buckets));
            if (key.LastUse?.Timestamp is { } used && now - used < recent)
                reasons.Add($"last used {used.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({key.LastUse.Operation})");
            else if (Latest(key.KeyId, key.Account)?.Regions.FirstOrDefault(r => r.Region == key.Region) is { Callers.Count: > 0 } seen)
                reasons.Add($"{seen.Callers.Count} caller{(seen.Callers.Count == 1 ? "" : "s")} in CloudTrail, last at {seen.Callers.Max(c => c.LastSeen).UtcDateTime:yyyy-MM-dd HH:mm} UTC");
            if (reasons.Count > 0) alarms.Add(new PendingDeletionInUse(key.Ref, key.DisplayName, key.State, key.DeletionDate, reasons));
        }
        return alarms;
    }

    private async Task<RegionDependents> ReadRegionAsync(RegionalKey key, DateTimeOffset start, DateTimeOffset end, bool includeCallers, CancellationToken cancellationToken)
    {
        var grantsTask = ReadGrantsAsync(key, cancellationToken);
        var callersTask = includeCallers ? ReadCallersAsync(key, start, end, cancellationToken)
            : Task.FromResult(new RegionDependents { Region = key.Region, KeyArn = key.Arn });
        var (grants, grantsError, grantsSince) = await grantsTask;
        var callers = await callersTask;
        return callers with
        {
            KeyState = key.State,
            Grants = grants,
            GrantsError = grantsError,
            GrantsFailingSince = grantsSince,
            ReadAt = _time.GetUtcNow(),
        };
    }

    private async Task<(IReadOnlyList<KeyGrant> Grants, string? Error, DateTimeOffset? Since)> ReadGrantsAsync(RegionalKey key, CancellationToken cancellationToken)
    {
        var what = $"grants:{key.Account}:{key.Region}:{key.KeyId}";
        var grants = new List<KeyGrant>();
        try
        {
            var kms = ClientsOf(key.Account).Kms(key.Region);
            var pacer = _grantPacers.GetOrAdd(key.Account + "/" + key.Region, _ => new RequestPacer(_options.ListGrantsPerSecond, _time, TimeSpan.FromSeconds(0.2)));
            var request = new ListGrantsRequest { KeyId = key.Arn, Limit = 100 };
            while (true)
            {
                await pacer.WaitAsync(cancellationToken);
                var page = await kms.ListGrantsAsync(request, cancellationToken);
                grants.AddRange((page.Grants ?? []).Select(g => new KeyGrant
                {
                    Region = key.Region,
                    KeyArn = key.Arn,
                    GrantId = g.GrantId ?? "",
                    Name = string.IsNullOrEmpty(g.Name) ? null : g.Name,
                    GranteePrincipal = g.GranteePrincipal ?? "",
                    RetiringPrincipal = string.IsNullOrEmpty(g.RetiringPrincipal) ? null : g.RetiringPrincipal,
                    Operations = [.. g.Operations ?? []],
                    EncryptionContextSubset = g.Constraints?.EncryptionContextSubset is { Count: > 0 } subset ? new Dictionary<string, string>(subset) : null,
                    EncryptionContextEquals = g.Constraints?.EncryptionContextEquals is { Count: > 0 } equals ? new Dictionary<string, string>(equals) : null,
                    CreationDate = g.CreationDate is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created.ToUniversalTime(), DateTimeKind.Utc)) : null,
                }));
                if (page.Truncated != true || string.IsNullOrEmpty(page.NextMarker)) break;
                request.Marker = page.NextMarker;
            }
            _failures.Succeeded(what);
            return (grants, null, null);
        }
        catch (Exception ex) when (BucketCatalog.IsAwsFailure(ex) || ex is ArgumentException)
        {
            _logger.LogWarning("ListGrants for {KeyId} in {Region} failed: {Error}", key.KeyId, key.Region, BucketCatalog.Describe(ex));
            return (grants, BucketCatalog.Describe(ex), _failures.Failed(what, _time.GetUtcNow()));
        }
    }

    private async Task<RegionDependents> ReadCallersAsync(RegionalKey key, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var what = $"trail:{key.Account}:{key.Region}:{key.KeyId}";
        var tally = new Dictionary<(string Principal, string? Via), Tally>();
        var counted = 0;
        var pages = 0;
        var truncated = false;
        DateTimeOffset? countedFrom = null;
        try
        {
            var request = new LookupEventsRequest
            {
                LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.ResourceName, AttributeValue = key.Arn }],
                StartTime = start.UtcDateTime,
                EndTime = end.UtcDateTime,
                MaxResults = 50,
            };
            await foreach (var page in TrailOf(key.Account, key.Region).LookupAllPagesAsync(request, cancellationToken))
            {
                pages++;
                foreach (var e in page.Events)
                {
                    var parsed = CloudTrailRecordParser.Parse(e, key.Region);
                    countedFrom = countedFrom is null || parsed.EventTime < countedFrom ? parsed.EventTime : countedFrom;
                    if (!CryptographicOperations.Contains(parsed.EventName) || parsed.EventType == "AwsServiceEvent") continue;
                    counted++;
                    var (principal, via) = PrincipalOf(parsed);
                    if (!tally.TryGetValue((principal, via), out var t)) tally[(principal, via)] = t = new Tally(parsed);
                    t.Add(parsed, _options.EvidencePerCaller);
                }
                if (pages >= _options.MaxCloudTrailPagesPerRegion && !string.IsNullOrEmpty(page.NextToken))
                {
                    truncated = true;
                    break;
                }
            }
            _failures.Succeeded(what);
        }
        catch (Exception ex) when (ex is AwsServiceException or ArgumentException || BucketCatalog.IsAwsFailure(ex))
        {
            var error = ex is AwsServiceException trail ? $"{trail.ErrorCode}: {trail.Message}" : BucketCatalog.Describe(ex);
            _logger.LogWarning("CloudTrail lookup for {KeyArn} failed: {Error}", key.Arn, error);
            return new RegionDependents
            {
                Region = key.Region, KeyArn = key.Arn, CallersError = error, CallersFailingSince = _failures.Failed(what, _time.GetUtcNow()),
                Callers = Callers(key.Region, tally), EventsCounted = counted,
            };
        }
        return new RegionDependents
        {
            Region = key.Region, KeyArn = key.Arn, Callers = Callers(key.Region, tally), EventsCounted = counted,
            CallersTruncated = truncated, CountedFrom = truncated ? countedFrom : start,
        };
    }

    private static List<KeyCaller> Callers(string region, Dictionary<(string Principal, string? Via), Tally> tally) =>
    [
        .. tally.Select(kv => new KeyCaller
        {
            Region = region,
            Principal = kv.Key.Principal,
            Via = kv.Key.Via,
            Kind = kv.Value.Kind,
            Username = kv.Value.Username,
            Count = kv.Value.Count,
            Errors = kv.Value.Errors,
            LastSeen = kv.Value.LastSeen,
            Operations = [.. kv.Value.Operations.Order(StringComparer.Ordinal)],
            EvidenceEventIds = kv.Value.Evidence,
        }).OrderByDescending(c => c.Count).ThenBy(c => c.Principal, StringComparer.Ordinal),
    ];

    /// <summary>Who called: the role behind a session (all sessions of a role are one caller), else the user, root or service.</summary>
    internal static (string Principal, string? Via) PrincipalOf(AuditEvent e)
    {
        var arn = e.UserArn;
        string principal;
        if (arn.Contains(":assumed-role/", StringComparison.Ordinal))
        {
            var parts = arn.Split(':', 6);
            var role = parts.Length == 6 ? parts[5]["assumed-role/".Length..].Split('/')[0] : e.RoleName ?? arn;
            principal = parts.Length == 6 ? $"arn:aws:iam::{parts[4]}:role/{role}" : role;
        }
        else if (arn.Length > 0) principal = arn;
        else if (e.Username.Length > 0) principal = e.Username;
        else principal = e.InvokedBy ?? (e.EventSource.Length > 0 ? e.EventSource : "unknown");
        var via = e.InvokedBy is { Length: > 0 } invoker && invoker != principal ? invoker : null;
        return (principal, via);
    }

    private static List<BucketDependency> BucketsNaming(InventorySnapshot snapshot, BucketCatalogSnapshot catalog, string account, string keyId) =>
    [
        .. BucketReferences(snapshot, catalog).Where(r => r.Names(account, keyId) && r.Rule is null).Select(r => new BucketDependency(
            r.Bucket.Name, r.Bucket.Region!, r.Written, r.Match.Kind, r.Match.Region, r.Bucket.Encryption?.BucketKeyEnabled ?? false, r.Bucket.ReadAt)
            { Account = r.Bucket.Account }),
    ];

    private static List<ReplicationDependency> RulesNaming(InventorySnapshot snapshot, BucketCatalogSnapshot catalog, string account, string keyId) =>
    [
        .. BucketReferences(snapshot, catalog).Where(r => r.Names(account, keyId) && r.Rule is not null).Select(r => new ReplicationDependency(
            r.Bucket.Name, r.Bucket.Region!, r.Rule!.RuleId, r.Rule.Status, r.Rule.DestinationBucket, r.DestinationRegion, r.Written,
            r.Match.Kind, r.Match.Region, r.Bucket.ReadAt) { Account = r.Bucket.Account }),
    ];

    /// <summary>Every bucket default and replication rule that names a key, resolved through the snapshot.</summary>
    private static IEnumerable<BucketReference> BucketReferences(InventorySnapshot snapshot, BucketCatalogSnapshot catalog)
    {
        foreach (var bucket in catalog.Buckets.Where(b => b.Region is not null))
        {
            if (bucket.Encryption is { UsesKms: true } encryption)
            {
                // aws:kms without a key id means the AWS managed key aws/s3 of the bucket's Region.
                var written = encryption.KmsMasterKeyId ?? "alias/aws/s3";
                if (KeyNameResolver.Resolve(snapshot, written, bucket.Region!, bucket.Account) is { } match)
                    yield return new BucketReference(match.KeyId, bucket, null, written, match, null);
            }
            foreach (var rule in bucket.ReplicationRules.Where(r => r.ReplicaKmsKeyId is not null))
            {
                var destination = catalog.Find(rule.DestinationBucket);
                var destinationRegion = destination?.Region;
                // The replica key is named in the destination bucket's Region (and account: replication may cross accounts).
                if (KeyNameResolver.Resolve(snapshot, rule.ReplicaKmsKeyId, destinationRegion ?? bucket.Region!, destination?.Account ?? bucket.Account) is { } match)
                    yield return new BucketReference(match.KeyId, bucket, rule, rule.ReplicaKmsKeyId!, match, destinationRegion);
            }
        }
    }

    private sealed record BucketReference(string KeyId, BucketFacts Bucket, ReplicationRuleFacts? Rule, string Written, KeyNameMatch Match, string? DestinationRegion)
    {
        /// <summary>The reference names this account's key with this id.</summary>
        public bool Names(string account, string keyId) => KeyId == keyId && string.Equals(Match.Account, account, StringComparison.Ordinal);

        public string Describe => Rule is null
            ? $"bucket {Bucket.Name} encrypts new objects with it by default"
            : $"replication rule {Rule.RuleId} of {Bucket.Name} encrypts replicas with it";
    }

    private sealed record GrantCount(int Count, DateTimeOffset ReadAt);

    private sealed class Tally(AuditEvent first)
    {
        public string Kind { get; } = first.UserType;
        public string? Username { get; } = first.Username.Length > 0 ? first.Username : null;
        public int Count { get; private set; }
        public int Errors { get; private set; }
        public DateTimeOffset LastSeen { get; private set; } = DateTimeOffset.MinValue;
        public HashSet<string> Operations { get; } = new(StringComparer.Ordinal);
        public List<string> Evidence { get; } = [];

        public void Add(AuditEvent e, int evidence)
        {
            Count++;
            if (!e.Succeeded) Errors++;
            if (e.EventTime > LastSeen) LastSeen = e.EventTime;
            Operations.Add(e.EventName);
            // Events arrive newest first: the first ones are the newest evidence.
            if (Evidence.Count < evidence && e.EventId.Length > 0) Evidence.Add(e.EventId);
        }
    }
}
