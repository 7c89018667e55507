using System.Collections.Concurrent;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Reads one Region's keys with the KMS SDK, pacing each operation under its quota and riding out throttling.
/// The only place in the inventory that sees SDK types.
/// </summary>
internal sealed class RegionReader
{
    private const int MaxThrottleRetries = 10;
    private readonly IAmazonKeyManagementService _kms;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, RequestPacer> _pacers;
    private readonly ConcurrentDictionary<string, string> _policyPool;

    private readonly SemaphoreSlim _inFlight;

    public RegionReader(string region, IAmazonKeyManagementService kms, InventoryOptions options, TimeProvider time, ConcurrentDictionary<string, string> policyPool, string account = "")
    {
        Region = region;
        Account = account;
        _kms = kms;
        _time = time;
        _policyPool = policyPool;
        _inFlight = new SemaphoreSlim(options.MaxRequestsInFlightPerRegion);
        // A burst of half a second's share: within any one-second window that stays under the quota.
        _pacers = KmsRequestQuotas.Operations.ToDictionary(op => op,
            op => new RequestPacer(KmsRequestQuotas.For(op) * options.QuotaShare, time, TimeSpan.FromSeconds(0.5)), StringComparer.Ordinal);
    }

    public string Region { get; }

    /// <summary>The account read ("" for the single-account set-up); every key read carries it.</summary>
    public string Account { get; }

    /// <summary>Every key of the Region, fully described. <paramref name="onListed"/> and <paramref name="onKeyRead"/> report progress.</summary>
    public async Task<IReadOnlyList<RegionalKey>> ReadAllAsync(Action<int> onListed, Action onKeyRead, CancellationToken ct)
    {
        var keysTask = ListKeyIdsAsync(ct);
        var aliasesTask = ListAliasesAsync(null, ct);
        var keyIds = await keysTask;
        var aliases = await aliasesTask;
        onListed(keyIds.Count);
        var keys = await Task.WhenAll(keyIds.Select(async listed =>
        {
            var key = await ReadKeyAsync(listed.KeyId, listed.Arn, aliases.GetValueOrDefault(listed.KeyId) ?? [], ct);
            onKeyRead();
            return key;
        }));
        return [.. keys.OfType<RegionalKey>().OrderBy(k => k.KeyId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// One key with its own aliases; null when the key no longer exists. <paramref name="knownArn"/> (from the snapshot)
    /// names the key should DescribeKey be refused.
    /// </summary>
    public async Task<RegionalKey?> ReadOneAsync(string keyId, string? knownArn, CancellationToken ct)
    {
        var aliases = await ListAliasesAsync(keyId, ct);
        return await ReadKeyAsync(keyId, knownArn ?? keyId, aliases.Values.SelectMany(a => a).ToList(), ct);
    }

    public async Task<KeyLastUse?> ReadLastUseAsync(string keyId, CancellationToken ct)
    {
        try
        {
            var r = await CallAsync(KmsRequestQuotas.GetKeyLastUsage, c => _kms.GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = keyId }, c), ct);
            var usage = r.KeyLastUsage;
            return new KeyLastUse(usage?.Operation?.Value, ToOffset(usage?.Timestamp), ToOffset(r.TrackingStartDate));
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "NotFoundException" or "KMSInvalidStateException" or "UnsupportedOperationException")
        {
            return null;
        }
    }

    public async Task<KeyRotationHistory> ReadRotationHistoryAsync(string keyId, CancellationToken ct)
    {
        var entries = new List<KeyRotationEntry>();
        string? marker = null;
        do
        {
            var page = await CallAsync(KmsRequestQuotas.ListKeyRotations,
                c => _kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId, Limit = 1000, Marker = marker }, c), ct);
            foreach (var r in page.Rotations ?? [])
                entries.Add(new KeyRotationEntry(r.KeyMaterialId ?? "", ToOffset(r.RotationDate), r.RotationType == RotationType.ON_DEMAND));
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return new KeyRotationHistory([.. entries.OrderByDescending(e => e.RotationDate)]);
    }

    private async Task<List<(string KeyId, string Arn)>> ListKeyIdsAsync(CancellationToken ct)
    {
        var ids = new List<(string KeyId, string Arn)>();
        string? marker = null;
        do
        {
            var page = await CallAsync(KmsRequestQuotas.ListKeys, c => _kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker }, c), ct);
            ids.AddRange((page.Keys ?? []).Select(k => (k.KeyId, k.KeyArn ?? k.KeyId)));
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return ids;
    }

    /// <summary>Alias names by target key id (aliases with no target are skipped).</summary>
    private async Task<Dictionary<string, List<string>>> ListAliasesAsync(string? keyId, CancellationToken ct)
    {
        var byKey = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = await CallAsync(KmsRequestQuotas.ListAliases,
                c => _kms.ListAliasesAsync(new ListAliasesRequest { KeyId = keyId, Limit = 100, Marker = marker }, c), ct);
            foreach (var alias in page.Aliases ?? [])
            {
                if (string.IsNullOrEmpty(alias.TargetKeyId)) continue;
                if (!byKey.TryGetValue(alias.TargetKeyId, out var list)) byKey[alias.TargetKeyId] = list = [];
                list.Add(alias.AliasName);
            }
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return byKey;
    }

    private async Task<RegionalKey?> ReadKeyAsync(string keyId, string arn, IReadOnlyList<string> aliases, CancellationToken ct)
    {
        KeyMetadata meta;
        try
        {
            meta = (await CallAsync(KmsRequestQuotas.DescribeKey, c => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, c), ct)).KeyMetadata;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "NotFoundException")
        {
            return null; // deleted between ListKeys and DescribeKey
        }
        catch (AmazonServiceException ex) when (IsAccessDenied(ex))
        {
            // The key's policy does not let these credentials read it: it is listed, named, and said to be unreadable.
            return new RegionalKey
            {
                Region = Region, Account = Account, KeyId = keyId, Arn = arn, State = UnknownState, MetadataRead = false,
                Aliases = [.. aliases.Order(StringComparer.Ordinal)], ReadError = Refused(KmsRequestQuotas.DescribeKey, ex),
            };
        }
        var awsManaged = meta.KeyManager == KeyManagerType.AWS;
        var multi = meta.MultiRegionConfiguration;
        var role = meta.MultiRegion != true || multi is null ? MultiRegionRole.None
            : multi.MultiRegionKeyType == MultiRegionKeyType.PRIMARY ? MultiRegionRole.Primary : MultiRegionRole.Replica;
        var key = new RegionalKey
        {
            Region = Region,
            Account = Account,
            KeyId = meta.KeyId,
            Arn = meta.Arn,
            State = meta.KeyState?.Value ?? "Unknown",
            Enabled = meta.Enabled ?? false,
            Description = meta.Description ?? "",
            AwsManaged = awsManaged,
            KeySpec = meta.KeySpec?.Value ?? "",
            KeyUsage = meta.KeyUsage?.Value ?? "",
            Origin = meta.Origin?.Value ?? "",
            CreationDate = ToOffset(meta.CreationDate),
            DeletionDate = ToOffset(meta.DeletionDate),
            PendingDeletionWindowInDays = meta.PendingDeletionWindowInDays,
            Role = role,
            PrimaryRegion = role == MultiRegionRole.None ? null : multi?.PrimaryKey?.Region,
            ReplicaRegions = role == MultiRegionRole.None ? [] : [.. (multi?.ReplicaKeys ?? []).Select(r => r.Region).Order(StringComparer.Ordinal)],
            Aliases = [.. aliases.Order(StringComparer.Ordinal)],
        };
        if (awsManaged) return key;

        var policyTask = Refusable(KmsRequestQuotas.GetKeyPolicy, ReadPolicyAsync(keyId, ct), null);
        var tagsTask = Refusable(KmsRequestQuotas.ListResourceTags, ReadTagsAsync(keyId, ct), RegionalKey.EmptyTags);
        var rotationTask = RotationApplies(key)
            ? Refusable(KmsRequestQuotas.GetKeyRotationStatus, ReadRotationAsync(keyId, ct), KeyRotationInfo.NotApplicable)
            : Task.FromResult<(KeyRotationInfo, string?)>((KeyRotationInfo.NotApplicable, null));
        var (policy, policyRefused) = await policyTask;
        var (tags, tagsRefused) = await tagsTask;
        var (rotation, rotationRefused) = await rotationTask;
        string?[] refused = [policyRefused, tagsRefused, rotationRefused];
        var readError = refused.Any(r => r is not null) ? string.Join("; ", refused.OfType<string>()) : null;
        return key with { Policy = policy, Tags = tags, Rotation = rotation, ReadError = readError };
    }

    /// <summary>The state shown for a key DescribeKey was refused for.</summary>
    public const string UnknownState = "Unknown";

    /// <summary>One part of a key's read; refused by the key's policy it gives <paramref name="fallback"/> and the reason.</summary>
    private static async Task<(T Value, string? Refused)> Refusable<T>(string operation, Task<T> read, T fallback)
    {
        try
        {
            return (await read, null);
        }
        catch (AmazonServiceException ex) when (IsAccessDenied(ex))
        {
            return (fallback, Refused(operation, ex));
        }
    }

    private static string Refused(string operation, AmazonServiceException ex) => $"{operation} refused ({ex.ErrorCode}: {ex.Message})";

    private static bool IsAccessDenied(AmazonServiceException ex) =>
        ex.ErrorCode is "AccessDeniedException" or "AccessDenied" || ex.StatusCode == System.Net.HttpStatusCode.Forbidden;

    private static bool RotationApplies(RegionalKey key) =>
        key.KeySpec == "SYMMETRIC_DEFAULT" && key.Origin == "AWS_KMS" && key.State is not ("PendingImport" or "Unavailable");

    private async Task<string?> ReadPolicyAsync(string keyId, CancellationToken ct)
    {
        try
        {
            var policy = (await CallAsync(KmsRequestQuotas.GetKeyPolicy,
                c => _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyId, PolicyName = "default" }, c), ct)).Policy;
            // Many keys carry the same default policy: keep one copy of each text.
            return policy is null ? null : _policyPool.GetOrAdd(policy, policy);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "NotFoundException" or "KMSInvalidStateException")
        {
            return null;
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadTagsAsync(string keyId, CancellationToken ct)
    {
        Dictionary<string, string>? tags = null;
        string? marker = null;
        try
        {
            do
            {
                var page = await CallAsync(KmsRequestQuotas.ListResourceTags,
                    c => _kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyId, Limit = 50, Marker = marker }, c), ct);
                foreach (var tag in page.Tags ?? [])
                    (tags ??= new(StringComparer.Ordinal))[tag.TagKey] = tag.TagValue ?? "";
                marker = page.Truncated == true ? page.NextMarker : null;
            } while (marker is not null);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "NotFoundException" or "KMSInvalidStateException")
        {
        }
        return tags ?? RegionalKey.EmptyTags;
    }

    private async Task<KeyRotationInfo> ReadRotationAsync(string keyId, CancellationToken ct)
    {
        try
        {
            var r = await CallAsync(KmsRequestQuotas.GetKeyRotationStatus,
                c => _kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId }, c), ct);
            return new KeyRotationInfo(true, r.KeyRotationEnabled ?? false, r.RotationPeriodInDays, ToOffset(r.NextRotationDate), ToOffset(r.OnDemandRotationStartDate));
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "UnsupportedOperationException")
        {
            return KeyRotationInfo.NotApplicable;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "NotFoundException" or "KMSInvalidStateException")
        {
            return new KeyRotationInfo(true, false);
        }
    }

    /// <summary>Waits for the operation's pacer, calls, and retries throttling with backoff until it goes through.</summary>
    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var pacer = _pacers[operation];
        var released = false;
        for (var attempt = 0; ; attempt++)
        {
            await pacer.WaitAsync(ct);
            await _inFlight.WaitAsync(ct);
            try
            {
                return await call(ct);
            }
            catch (AmazonServiceException ex) when (IsThrottling(ex) && attempt < MaxThrottleRetries)
            {
                var backoff = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2));
                _inFlight.Release();
                released = true;
                await Task.Delay(backoff, _time, ct);
            }
            finally
            {
                if (!released) _inFlight.Release();
                released = false;
            }
        }
    }

    private static bool IsThrottling(AmazonServiceException ex) =>
        ex.ErrorCode is "ThrottlingException" or "Throttling" or "TooManyRequestsException" || (int)ex.StatusCode == 429;

    private static DateTimeOffset? ToOffset(DateTime? value) => value is not { } d ? null
        : new DateTimeOffset(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc));
}
