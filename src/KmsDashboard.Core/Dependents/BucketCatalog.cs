using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// The S3 buckets of every account the dashboard reads, with their default encryption and replication rules, read once
/// for every key and every user and kept for <see cref="DependentsOptions.BucketCacheDuration"/>. Each account is read
/// through its own clients (its assumed role in the multi-account set-up): ListBuckets, then each bucket's Region
/// (ListBuckets' BucketRegion, else GetBucketLocation), GetBucketEncryption and GetBucketReplication in the bucket's
/// Region, paced and bounded per Region. A bucket, Region or account that fails is reported as failing; the others are
/// not held up.
/// </summary>
public sealed class BucketCatalog
{
    private readonly AwsClients _clients;
    private readonly AwsAccounts? _accounts;
    private readonly DependentsOptions _options;
    private readonly ILogger<BucketCatalog> _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, AccountBuckets> _byAccount = new(StringComparer.Ordinal);

    public BucketCatalog(AwsClients clients, IOptions<DependentsOptions> options, ILogger<BucketCatalog> logger, TimeProvider? time = null,
        AwsAccounts? accounts = null)
    {
        _clients = clients;
        _accounts = accounts;
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    private bool MultiAccount => _accounts?.MultiAccount == true;

    /// <summary>
    /// The last catalog read, every account's buckets together (each bucket names its account; empty before the first
    /// read). In the multi-account set-up <see cref="BucketCatalogSnapshot.Error"/> names each account that could not be read.
    /// </summary>
    public BucketCatalogSnapshot Current => MultiAccount
        ? Merge([.. _byAccount.Values.Select(a => (a, a.Current))])
        : For("").Current;

    /// <summary>One account's buckets as last read ("" is the single account's).</summary>
    public BucketCatalogSnapshot CurrentOf(string? account) =>
        MultiAccount ? (_byAccount.TryGetValue(account ?? "", out var a) ? a.Current : BucketCatalogSnapshot.Empty) : For("").Current;

    /// <summary>
    /// The catalog of every account, each read again when older than the cache duration or when <paramref name="refresh"/>
    /// asks; a read under way is joined.
    /// </summary>
    public async Task<BucketCatalogSnapshot> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (!MultiAccount) return await For("").GetAsync(refresh, cancellationToken);
        var accounts = await _accounts!.ListAsync(cancellationToken);
        var parts = await Task.WhenAll(accounts.Select(async a =>
        {
            var catalog = For(a.Id);
            return (catalog, await catalog.GetAsync(refresh, cancellationToken));
        }));
        return Merge(parts);
    }

    /// <summary>One account's catalog ("" is the single account's), read as <see cref="GetAsync(bool, CancellationToken)"/> reads.</summary>
    public Task<BucketCatalogSnapshot> GetAsync(string? account, bool refresh, CancellationToken cancellationToken) =>
        For(MultiAccount ? account ?? "" : "").GetAsync(refresh, cancellationToken);

    /// <summary>One account's part of the catalog, for a runbook or wizard working there ("" is the single account's).</summary>
    public AccountBucketCatalog Of(string? account) => new(this, account ?? "");

    private AccountBuckets For(string account)
    {
        if (!MultiAccount || account.Length == 0) return _byAccount.GetOrAdd("", _ => new AccountBuckets(this, "", null, _clients));
        return _byAccount.GetOrAdd(account, id => _accounts!.Find(id) is { } found
            ? new AccountBuckets(this, id, found, _accounts.Clients(found))
            : throw new ArgumentException($"Account {id} is not one of the dashboard's accounts.", nameof(account)));
    }

    private static BucketCatalogSnapshot Merge(IReadOnlyList<(AccountBuckets Catalog, BucketCatalogSnapshot Snapshot)> parts)
    {
        var errors = parts.Where(p => p.Snapshot.Error is not null).ToList();
        var read = parts.Where(p => p.Snapshot.ReadAt is not null).Select(p => p.Snapshot.ReadAt!.Value).ToList();
        return new BucketCatalogSnapshot(
            [.. parts.SelectMany(p => p.Snapshot.Buckets).OrderBy(b => b.Name, StringComparer.Ordinal)],
            read.Count == 0 ? null : read.Min(),
            errors.Count == 0 ? null : string.Join("; ", errors.Select(e => $"account {e.Catalog.Label}: {e.Snapshot.Error}")),
            errors.Count == 0 ? null : errors.Min(e => e.Snapshot.FailingSince));
    }

    /// <summary>One account's buckets: the single account's, or a member account's through its assumed role.</summary>
    private sealed class AccountBuckets(BucketCatalog owner, string accountId, AwsAccount? account, AwsClients clients)
    {
        private readonly FailureClock _failures = new();
        private readonly ConcurrentDictionary<string, RequestPacer> _pacers = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private BucketCatalogSnapshot _current = BucketCatalogSnapshot.Empty;
        private Task<BucketCatalogSnapshot>? _reading;
        private readonly DependentsOptions _options = owner._options;
        private readonly ILogger _logger = owner._logger;
        private readonly TimeProvider _time = owner._time;
        private readonly AwsClients _clients = clients;

        public string Label => account?.Label ?? accountId;

        public BucketCatalogSnapshot Current => Volatile.Read(ref _current);

        public Task<BucketCatalogSnapshot> GetAsync(bool refresh, CancellationToken cancellationToken)
        {
            var current = Current;
            if (!refresh && current.ReadAt is { } readAt && _time.GetUtcNow() - readAt < _options.BucketCacheDuration)
                return Task.FromResult(current);
            Task<BucketCatalogSnapshot> reading;
            lock (_gate)
            {
                // One read for all callers; it is not cancelled by any one of them.
                _reading ??= Task.Run(() => ReadAsync(CancellationToken.None), CancellationToken.None);
                reading = _reading;
            }
            return reading.WaitAsync(cancellationToken);
        }

        private async Task<BucketCatalogSnapshot> ReadAsync(CancellationToken cancellationToken)
        {
            try
            {
                var previous = Current;
                var (listed, listRegion, error) = await ListBucketsAsync(cancellationToken);
                var now = _time.GetUtcNow();
                BucketCatalogSnapshot next;
                if (listed is null)
                {
                    var since = _failures.Failed("ListBuckets", now);
                    _logger.LogWarning("ListBuckets failed in every Region{Account}: {Error}", accountId.Length > 0 ? $" of account {accountId}" : "", error);
                    next = previous with { Error = error, FailingSince = since };
                }
                else
                {
                    _failures.Succeeded("ListBuckets");
                    var facts = await Task.WhenAll(listed.Select(b => ReadBucketAsync(b, listRegion!, previous.Find(b.BucketName), cancellationToken)));
                    next = new BucketCatalogSnapshot([.. facts.OrderBy(f => f.Name, StringComparer.Ordinal)], _time.GetUtcNow());
                }
                Volatile.Write(ref _current, next);
                return next;
            }
            finally
            {
                lock (_gate) _reading = null;
            }
        }

        /// <summary>ListBuckets is global: asked of each configured Region in turn until one answers.</summary>
        private async Task<(List<S3Bucket>? Buckets, string? Region, string? Error)> ListBucketsAsync(CancellationToken cancellationToken)
        {
            string? lastError = null;
            if (account is not null)
            {
                // A member account's role that cannot be assumed fails the account once, naming the role, not once per Region.
                try
                {
                    await _clients.Credentials.GetCredentialsAsync();
                }
                catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
                {
                    return (null, null, $"Could not assume {account.RoleArn}: {Describe(ex)}");
                }
            }
            foreach (var region in _clients.Regions)
            {
                try
                {
                    var buckets = new List<S3Bucket>();
                    var request = new ListBucketsRequest();
                    do
                    {
                        var response = await _clients.S3(region).ListBucketsAsync(request, cancellationToken);
                        buckets.AddRange(response.Buckets ?? []);
                        request.ContinuationToken = response.ContinuationToken;
                    } while (!string.IsNullOrEmpty(request.ContinuationToken));
                    return (buckets, region, null);
                }
                catch (Exception ex) when (IsAwsFailure(ex))
                {
                    lastError = $"{region}: {Describe(ex)}";
                }
            }
            return (null, null, lastError ?? "No Regions are configured.");
        }

        private async Task<BucketFacts> ReadBucketAsync(S3Bucket bucket, string listRegion, BucketFacts? previous, CancellationToken cancellationToken)
        {
            var name = bucket.BucketName;
            string? region = string.IsNullOrEmpty(bucket.BucketRegion) ? previous?.Region : bucket.BucketRegion;
            try
            {
                if (string.IsNullOrEmpty(bucket.BucketRegion))
                {
                    await Pacer(listRegion).WaitAsync(cancellationToken);
                    var location = await _clients.S3(listRegion).GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }, cancellationToken);
                    region = RegionOf(location.Location?.Value);
                }
                var s3 = _clients.S3(region!);
                await Pacer(region!).WaitAsync(cancellationToken);
                var encryption = await ReadEncryptionAsync(s3, name, cancellationToken);
                await Pacer(region!).WaitAsync(cancellationToken);
                var rules = await ReadReplicationAsync(s3, name, cancellationToken);
                _failures.Succeeded("bucket:" + name);
                return new BucketFacts
                {
                    Name = name, Account = accountId, Region = region, CreationDate = ToOffset(bucket.CreationDate), Encryption = encryption,
                    ReplicationRules = rules, ReadAt = _time.GetUtcNow(),
                };
            }
            catch (Exception ex) when (IsAwsFailure(ex))
            {
                var since = _failures.Failed("bucket:" + name, _time.GetUtcNow());
                _logger.LogWarning("Reading bucket {Bucket} in {Region} failed: {Error}", name, region ?? "(unknown Region)", Describe(ex));
                return new BucketFacts
                {
                    Name = name, Account = accountId, Region = region, CreationDate = ToOffset(bucket.CreationDate),
                    Encryption = previous?.Encryption, ReplicationRules = previous?.ReplicationRules ?? [], ReadAt = previous?.ReadAt,
                    Error = Describe(ex), FailingSince = since,
                };
            }
        }

        private static async Task<BucketDefaultEncryption?> ReadEncryptionAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
        {
            try
            {
                var response = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, cancellationToken);
                var rule = response.ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.FirstOrDefault();
                var byDefault = rule?.ServerSideEncryptionByDefault;
                if (byDefault is null) return null;
                return new BucketDefaultEncryption(byDefault.ServerSideEncryptionAlgorithm?.Value ?? "",
                    string.IsNullOrEmpty(byDefault.ServerSideEncryptionKeyManagementServiceKeyId) ? null : byDefault.ServerSideEncryptionKeyManagementServiceKeyId,
                    rule!.BucketKeyEnabled ?? false);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "ServerSideEncryptionConfigurationNotFoundError")
            {
                return null;
            }
        }

        private static async Task<IReadOnlyList<ReplicationRuleFacts>> ReadReplicationAsync(IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
        {
            try
            {
                var response = await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket }, cancellationToken);
                return [.. (response.Configuration?.Rules ?? []).Select(r => new ReplicationRuleFacts(
                    r.Id ?? "",
                    r.Status?.Value ?? "",
                    BucketName(r.Destination?.BucketArn),
                    string.IsNullOrEmpty(r.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID) ? null : r.Destination.EncryptionConfiguration.ReplicaKmsKeyID,
                    r.SourceSelectionCriteria?.SseKmsEncryptedObjects?.SseKmsEncryptedObjectsStatus?.Value == "Enabled"))];
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "ReplicationConfigurationNotFoundError")
            {
                return [];
            }
        }

        private RequestPacer Pacer(string region) =>
            _pacers.GetOrAdd(region, _ => new RequestPacer(_options.S3ConfigRequestsPerSecond, _time, TimeSpan.FromSeconds(0.2)));
    }

    /// <summary>GetBucketLocation's LocationConstraint: empty for us-east-1, <c>EU</c> for old eu-west-1 buckets.</summary>
    internal static string RegionOf(string? locationConstraint) => locationConstraint switch
    {
        null or "" or "US" => "us-east-1",
        "EU" => "eu-west-1",
        _ => locationConstraint,
    };

    private static string BucketName(string? arn) =>
        arn is null ? "" : arn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) ? arn["arn:aws:s3:::".Length..] : arn;

    private static DateTimeOffset? ToOffset(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : null;

    internal static bool IsAwsFailure(Exception ex) => ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
        || (ex is OperationCanceledException && ex.InnerException is TimeoutException);

    internal static string Describe(Exception ex) => ex is AmazonServiceException service
        ? $"{service.ErrorCode ?? ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {service.Message}"
        : ex.Message;
}
