using System.Security.Claims;
using System.Security.Cryptography;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// On-demand rotation of one key set, checked end to end: read the current material and history, rotate through the
/// guarded <see cref="KeyOperations"/> path (which enforces the 25 limit and the 20-minute window), wait until the new
/// entry is in the history, then in every Region of the set run an Encrypt/Decrypt round trip with the new material
/// and decrypt a ciphertext made before the rotation.
/// </summary>
public sealed class OnDemandRotationService(KeyOperations operations, KeyInventory inventory, AwsClients clients, TimeProvider time, ILogger<OnDemandRotationService> logger,
    Aws.Accounts.AwsAccounts? accounts = null)
{
    private readonly Aws.Accounts.AwsAccounts _accounts = accounts ?? new Aws.Accounts.AwsAccounts(clients);

    /// <summary>True when the dashboard reads several accounts: a key set is then always named with its account.</summary>
    public bool MultiAccount => _accounts.MultiAccount;

    private static readonly Dictionary<string, string> CheckContext = new(StringComparer.Ordinal) { ["kmsdashboard:purpose"] = "rotation-check" };

    /// <summary>How long to wait for the new rotation to show in the history and in every Region.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the key id (nothing is read when it is wrong), then reads the set's rotation fresh from its primary.</summary>
    public Task<OnDemandRotationStatus> ReadAsync(string keyId, CancellationToken cancellationToken) => ReadAsync(keyId, null, cancellationToken);

    /// <summary>
    /// As <see cref="ReadAsync(string, CancellationToken)"/> in <paramref name="account"/> (required when the dashboard reads
    /// several accounts, unless the key ARN names it; none in the single-account set-up). A wrong or missing account is
    /// refused (<see cref="ArgumentException"/>) before any call.
    /// </summary>
    public async Task<OnDemandRotationStatus> ReadAsync(string keyId, string? account, CancellationToken cancellationToken)
    {
        var id = keyId?.Trim() ?? "";
        if (KeyInputRules.CheckKeyId(id) is { } problem) throw new ArgumentException(problem, nameof(keyId));
        var keyAccount = ResolveAccount(id, account);
        var reads = keyAccount.IsDefault ? clients : _accounts.Clients(keyAccount);
        var inventoryAccount = _accounts.MultiAccount ? keyAccount.Id : null;
        var (region, parsed) = KeyInputRules.Parse(id);
        id = parsed;
        var known = inventory.Current.FindById(id, inventoryAccount);
        var where = region ?? known.FirstOrDefault(k => k.Role != MultiRegionRole.Replica)?.Region ?? known.FirstOrDefault()?.Region
                    ?? throw new ArgumentException(inventoryAccount is null ? $"{id} is not in the inventory; refresh it or check the key id."
                        : $"{id} is not in the inventory of account {keyAccount.Label}; refresh it or check the key id and the account.", nameof(keyId));
        if (!reads.Regions.Contains(where))
            throw new ArgumentException(inventoryAccount is null ? $"Region {where} is not one of the dashboard's Regions." : $"Region {where} is not one of account {keyAccount.Label}'s Regions.", nameof(keyId));

        var kms = reads.Kms(where);
        var meta = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = id }, cancellationToken)).KeyMetadata;
        var primaryRegion = meta.MultiRegionConfiguration?.PrimaryKey?.Region ?? where;
        if (primaryRegion != where)
        {
            if (!reads.Regions.Contains(primaryRegion))
                return new OnDemandRotationStatus
                {
                    KeyId = id, Name = Name(id, inventoryAccount), PrimaryRegion = primaryRegion, Regions = [], ReadAt = time.GetUtcNow(), State = meta.KeyState?.Value ?? "",
                    Account = inventoryAccount ?? "", AccountLabel = inventory.Current.AccountLabel(inventoryAccount),
                    Unavailable = $"The primary's Region ({primaryRegion}) is not one of the dashboard's Regions, and rotation is made on the primary.",
                };
            meta = (await reads.Kms(primaryRegion).DescribeKeyAsync(new DescribeKeyRequest { KeyId = id }, cancellationToken)).KeyMetadata;
        }
        var replicas = (meta.MultiRegionConfiguration?.ReplicaKeys ?? []).Select(r => r.Region).Where(r => r is not null && reads.Regions.Contains(r)).Order(StringComparer.Ordinal);
        var status = new OnDemandRotationStatus
        {
            KeyId = id, Name = Name(id, inventoryAccount), PrimaryRegion = primaryRegion, Regions = [primaryRegion, .. replicas], ReadAt = time.GetUtcNow(),
            State = meta.KeyState?.Value ?? "", CurrentKeyMaterialId = meta.CurrentKeyMaterialId,
            Account = inventoryAccount ?? "", AccountLabel = inventory.Current.AccountLabel(inventoryAccount),
            RegionStates = inventory.Current.FindById(id, inventoryAccount).ToDictionary(k => k.Region, k => k.State, StringComparer.Ordinal),
            Unavailable = meta.KeyManager?.Value == "AWS" ? "AWS managed key: AWS rotates it every year; it cannot be rotated on demand." : RotationAvailability.WhyNot(meta.KeySpec?.Value ?? "", meta.Origin?.Value ?? ""),
        };
        if (status.Unavailable is not null) return status;

        var primaryKms = reads.Kms(primaryRegion);
        var rotation = await primaryKms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = id }, cancellationToken);
        var history = await inventory.ReadRotationHistoryAsync(new KeyRef(primaryRegion, id, inventoryAccount ?? ""), cancellationToken);
        return status with
        {
            AutomaticEnabled = rotation.KeyRotationEnabled ?? false,
            PeriodInDays = rotation.RotationPeriodInDays,
            NextRotationDate = Utc(rotation.NextRotationDate),
            OnDemandRotationStartDate = Utc(rotation.OnDemandRotationStartDate),
            History = history,
        };
    }

    /// <summary>Reads the status and plans RotateNow through <see cref="KeyOperations.PlanAsync"/> (authorization, 25 limit, 20-minute window).</summary>
    public Task<OnDemandRotationPlan> PlanAsync(ClaimsPrincipal user, string keyId, CancellationToken cancellationToken) =>
        PlanAsync(user, keyId, null, cancellationToken);

    /// <summary>As <see cref="PlanAsync(ClaimsPrincipal, string, CancellationToken)"/> for a key set of <paramref name="account"/>.</summary>
    public async Task<OnDemandRotationPlan> PlanAsync(ClaimsPrincipal user, string keyId, string? account, CancellationToken cancellationToken)
    {
        var status = await ReadAsync(keyId, account, cancellationToken);
        var action = await operations.PlanAsync(user, new RotateNowRequest { KeyId = status.KeyId, Region = status.PrimaryRegion, Account = status.Account }, cancellationToken);
        return new OnDemandRotationPlan(status, action);
    }

    /// <summary>The account a key set is read in, or an <see cref="ArgumentException"/> saying why not (no AWS call).</summary>
    private Aws.Accounts.AwsAccount ResolveAccount(string keyId, string? requested)
    {
        var (account, problem) = _accounts.Resolve(requested, _accounts.MultiAccount ? KeyInputRules.AccountOf(keyId) : null);
        return account ?? throw new ArgumentException(problem, nameof(requested));
    }

    /// <summary>
    /// Encrypts a check value in every Region with the current material, rotates (guarded, journaled), waits for the
    /// new history entry and the new material in every Region, then runs the round trips. A Region failing its check is
    /// reported with the others' results.
    /// </summary>
    public async Task<OnDemandRotationResult> ExecuteAsync(ClaimsPrincipal user, OnDemandRotationPlan plan, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var status = plan.Status;
        // The checks run in the key set's account, in the user's name like the rotation itself.
        var kmsClients = status.Account.Length == 0 ? clients : _accounts.ActionClients(_accounts.Find(status.Account)
            ?? throw new ArgumentException($"Account {status.Account} is no longer one of the dashboard's accounts.", nameof(plan)), Security.DashboardUser.From(user).Name);
        var plaintext = RandomNumberGenerator.GetBytes(32);
        var before = new Dictionary<string, (byte[]? Blob, string? Problem)>(StringComparer.Ordinal);
        if (plan.CanExecute)
        {
            progress?.Report("Encrypting a check value in every Region with the current key material…");
            foreach (var (region, outcome) in await Task.WhenAll(status.Regions.Select(async r => (r, await EncryptAsync(kmsClients, r, status.KeyId, plaintext, cancellationToken)))))
                before[region] = outcome;
        }

        progress?.Report("Rotating the key material on demand…");
        var rotation = await operations.ExecuteAsync(user, plan.Action, null, cancellationToken);
        if (!rotation.Succeeded)
            return new OnDemandRotationResult(rotation, status.CurrentKeyMaterialId, null, null, null, [], rotation.Summary);

        progress?.Report("Waiting for the new rotation to appear in the history…");
        var (after, entry) = await WaitForNewEntryAsync(status, cancellationToken);
        if (entry is null || after is null)
        {
            var late = $"Rotated (request {rotation.Calls.FirstOrDefault()?.RequestId}), but no new entry appeared in the history within {WaitTimeout.TotalMinutes:0.#} minutes; check again later.";
            return new OnDemandRotationResult(rotation, status.CurrentKeyMaterialId, after?.CurrentKeyMaterialId, null, after, [], late);
        }

        progress?.Report("Checking every Region: a new round trip, and the ciphertext made before the rotation…");
        var newMaterial = after.CurrentKeyMaterialId;
        var checks = await Task.WhenAll(status.Regions.Select(r => CheckRegionAsync(kmsClients, r, status, newMaterial, plaintext, before.GetValueOrDefault(r), cancellationToken)));
        var failed = checks.Where(c => !c.Verified).Select(c => c.Region).ToList();
        var summary = failed.Count == 0
            ? $"Rotated: new key material {newMaterial} is current; in {Regions(checks.Length)} a new round trip works and the ciphertext made before still decrypts."
            : $"Rotated to key material {newMaterial}, but the check failed in {string.Join(", ", failed)}.";
        logger.LogInformation("On-demand rotation of {KeyId}: {Old} -> {New}, verified in {Count} Regions, failed in {Failed}",
            status.KeyId, status.CurrentKeyMaterialId, newMaterial, checks.Length - failed.Count, failed.Count);
        return new OnDemandRotationResult(rotation, status.CurrentKeyMaterialId, newMaterial, entry, after, checks, summary);
    }

    private async Task<(OnDemandRotationStatus? After, KeyRotationEntry? Entry)> WaitForNewEntryAsync(OnDemandRotationStatus before, CancellationToken ct)
    {
        var seen = before.History.Rotations.Select(r => r.KeyMaterialId).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + WaitTimeout;
        OnDemandRotationStatus? after = null;
        while (true)
        {
            try
            {
                after = await ReadAsync(before.KeyId, before.Account.Length == 0 ? null : before.Account, ct);
                var entry = after.History.Rotations.FirstOrDefault(r => r.OnDemand && !seen.Contains(r.KeyMaterialId));
                if (entry is not null && after.CurrentKeyMaterialId == entry.KeyMaterialId) return (after, entry);
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                logger.LogWarning("Reading the rotation of {KeyId} failed while waiting: {Message}", before.KeyId, ex.Message);
            }
            if (DateTimeOffset.UtcNow >= deadline) return (after, null);
            await Task.Delay(PollInterval, ct);
        }
    }

    private static async Task<(byte[]? Blob, string? Problem)> EncryptAsync(AwsClients clients, string region, string keyId, byte[] plaintext, CancellationToken ct)
    {
        try
        {
            var response = await clients.Kms(region).EncryptAsync(new EncryptRequest
            {
                KeyId = keyId, Plaintext = new MemoryStream(plaintext), EncryptionContext = new Dictionary<string, string>(CheckContext),
            }, ct);
            return (response.CiphertextBlob.ToArray(), null);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            return (null, $"Encrypt before the rotation failed: {Describe(ex)}");
        }
    }

    private async Task<RegionRoundTrip> CheckRegionAsync(AwsClients clients, string region, OnDemandRotationStatus before, string? newMaterial, byte[] oldPlaintext,
        (byte[]? Blob, string? Problem) oldCiphertext, CancellationToken ct)
    {
        var kms = clients.Kms(region);
        string? current = null;
        var deadline = DateTimeOffset.UtcNow + WaitTimeout;
        // The replicas take the new material from the primary: wait until this Region reports it.
        while (true)
        {
            try
            {
                current = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = before.KeyId }, ct)).KeyMetadata.CurrentKeyMaterialId;
                if (current == newMaterial || DateTimeOffset.UtcNow >= deadline) break;
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                var message = $"{region} could not be read: {Describe(ex)}";
                return new RegionRoundTrip(region, null, false, null, message, false, null, message);
            }
            await Task.Delay(PollInterval, ct);
        }

        var (newWorks, newId, newMessage) = (false, (string?)null, "");
        try
        {
            var value = RandomNumberGenerator.GetBytes(32);
            var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = before.KeyId, Plaintext = new MemoryStream(value), EncryptionContext = new(CheckContext) }, ct)).CiphertextBlob;
            var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, KeyId = before.KeyId, EncryptionContext = new(CheckContext) }, ct);
            newId = decrypted.KeyMaterialId;
            newWorks = decrypted.Plaintext.ToArray().AsSpan().SequenceEqual(value) && newId == newMaterial;
            newMessage = newWorks ? "Encrypt and Decrypt work with the new key material."
                : newId != newMaterial ? $"Decrypted by key material {newId}, not the new {newMaterial}." : "The decrypted value differs from what was encrypted.";
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            newMessage = $"Round trip failed: {Describe(ex)}";
        }

        var (oldWorks, oldId, oldMessage) = (false, (string?)null, oldCiphertext.Problem ?? "No ciphertext was made before the rotation.");
        if (oldCiphertext.Blob is { } oldBlob)
        {
            try
            {
                // No KeyId: the ciphertext names its key and material, as any old ciphertext in the field would.
                var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(oldBlob), EncryptionContext = new(CheckContext) }, ct);
                oldId = decrypted.KeyMaterialId;
                oldWorks = decrypted.Plaintext.ToArray().AsSpan().SequenceEqual(oldPlaintext);
                oldMessage = oldWorks
                    ? $"The ciphertext made before the rotation decrypts{(oldId == before.CurrentKeyMaterialId ? ", with the previous key material" : $" (key material {oldId})")}."
                    : "The ciphertext made before the rotation decrypted to another value.";
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                oldMessage = $"The ciphertext made before the rotation does not decrypt: {Describe(ex)}";
            }
        }
        return new RegionRoundTrip(region, current, newWorks, newId, newMessage, oldWorks, oldId, oldMessage);
    }

    private string Name(string keyId, string? account) =>
        inventory.Current.FindKeySet(keyId, account)?.DisplayName ?? inventory.Current.FindById(keyId, account).FirstOrDefault()?.DisplayName ?? keyId;

    private static DateTimeOffset? Utc(DateTime? value) => value is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null;

    private static string Regions(int n) => n == 1 ? "its Region" : $"all {n} Regions";

    private static string Describe(Exception ex) => ex switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } s => $"{code}: {s.Message}",
        _ => ex.Message,
    };
}
