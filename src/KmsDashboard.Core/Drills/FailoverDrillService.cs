using System.Diagnostics;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Drills;

/// <summary>
/// Non-destructive failover drills of multi-Region key sets: in each Region of the set GenerateDataKey with the alias
/// there (the key id where the set has no alias), then Decrypt that ciphertext in every other Region of the set (related
/// multi-Region keys share key material), each call timed. "Primary down" mode skips the primary's Region, as if it were
/// unavailable; nothing is ever disabled. Operators start drills, anyone with a dashboard role reads them; each drill is
/// journaled (a read: no key changes) and stored. With several accounts a drill runs in its key set's account, its calls
/// made through that account's role assumed in the user's name (session name and SourceIdentity), in that account's Regions.
/// </summary>
public sealed class FailoverDrillService(
    AwsClients clients, KeyInventory inventory, IAuthorizationService authorization, ActionJournal journal, FailoverDrillStore store,
    TimeProvider time, ILogger<FailoverDrillService> logger, AwsAccounts? accounts = null)
{
    private bool MultiAccount => accounts?.MultiAccount == true;

    /// <summary>The Regions read in <paramref name="account"/> (the dashboard's in the single-account set-up).</summary>
    private IReadOnlyList<string> RegionsOf(string account) =>
        MultiAccount && accounts!.Find(account) is { } found ? found.Regions : account.Length == 0 ? clients.Regions : [];

    /// <summary>KMS of the drill's account: the dashboard's own clients, or the account's role assumed for <paramref name="who"/>.</summary>
    private AwsClients ClientsFor(string account, DashboardUser who) =>
        MultiAccount && accounts!.Find(account) is { } found ? accounts.ActionClients(found, who.Name) : clients;

    /// <summary>The journal's action name for a drill.</summary>
    public const string JournalAction = "FailoverDrill";

    /// <summary>Bound into every drill ciphertext, so a drill's calls are easy to tell apart in CloudTrail.</summary>
    public const string PurposeContextKey = "kmsdashboard:purpose", PurposeContextValue = "failover-drill";

    /// <summary>How long one KMS call may take, retries included, before its cell fails as timed out.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public async Task<bool> CanStartAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, null, DashboardPolicies.CanOperate)).Succeeded;

    public async Task<bool> CanReadAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, null, DashboardPolicies.CanRead)).Succeeded;

    /// <summary>
    /// The key sets a drill covers: customer managed, symmetric encryption multi-Region key sets with at least two of the
    /// dashboard's Regions.
    /// </summary>
    public IReadOnlyList<KeySet> DrillableKeySets() =>
        [.. inventory.Current.KeySets.Where(s => !s.Representative.AwsManaged && IsSymmetricEncryption(s.Representative)
                                                 && SetRegions(s).Count(RegionsOf(s.Account).Contains) >= 2)
            .OrderBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase)];

    /// <summary>GenerateDataKey and Decrypt need a symmetric encryption key (not HMAC, not asymmetric).</summary>
    private static bool IsSymmetricEncryption(RegionalKey key) => key.KeySpec == "SYMMETRIC_DEFAULT" && key.KeyUsage == "ENCRYPT_DECRYPT";

    /// <summary>
    /// Runs one drill (Operator or Admin). Refuses, before any AWS call, a key id that is not a multi-Region key set of
    /// the inventory with at least two of the dashboard's Regions.
    /// </summary>
    public async Task<FailoverDrillResult> RunAsync(ClaimsPrincipal user, string keyId, bool primaryDown, CancellationToken cancellationToken, string? account = null)
    {
        await AuthorizeStartAsync(user);
        var set = Resolve(new DrillTarget(keyId, account ?? ""));
        return await RunSetAsync(DashboardUser.From(user), set, primaryDown, cancellationToken);
    }

    /// <inheritdoc cref="RunManyAsync(ClaimsPrincipal, IReadOnlyList{DrillTarget}, bool, IProgress{DrillOutcome}?, CancellationToken)"/>
    public Task<IReadOnlyList<DrillOutcome>> RunManyAsync(
        ClaimsPrincipal user, IReadOnlyList<string> keyIds, bool primaryDown, IProgress<DrillOutcome>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyIds);
        return RunManyAsync(user, [.. keyIds.Select(k => new DrillTarget(k))], primaryDown, progress, cancellationToken);
    }

    /// <summary>Drills key sets one after the other; a set that is refused or fails is reported and the others still run.</summary>
    public async Task<IReadOnlyList<DrillOutcome>> RunManyAsync(
        ClaimsPrincipal user, IReadOnlyList<DrillTarget> targets, bool primaryDown, IProgress<DrillOutcome>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        await AuthorizeStartAsync(user);
        if (targets.Count == 0) throw new FailoverDrillException("Choose at least one key set to drill.");
        var who = DashboardUser.From(user);
        var outcomes = new List<DrillOutcome>();
        foreach (var target in targets.Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            DrillOutcome outcome;
            try
            {
                outcome = new DrillOutcome(target.KeyId, await RunSetAsync(who, Resolve(target), primaryDown, cancellationToken), null) { Account = target.Account };
            }
            catch (FailoverDrillException ex)
            {
                outcome = new DrillOutcome(target.KeyId, null, ex.Message) { Account = target.Account };
            }
            outcomes.Add(outcome);
            progress?.Report(outcome);
        }
        return outcomes;
    }

    /// <summary>
    /// The newest drills of one key set (or all), for any dashboard role; with several accounts, of <paramref name="account"/>'s
    /// key set (drills stored before accounts count as the dashboard's own account's).
    /// </summary>
    public async Task<IReadOnlyList<FailoverDrillResult>> RecentAsync(ClaimsPrincipal user, string? keyId, int limit, CancellationToken cancellationToken,
        string? account = null)
    {
        await AuthorizeReadAsync(user);
        var home = await LegacyAccountAsync(cancellationToken);
        return [.. (await store.RecentAsync(keyId, limit, cancellationToken, string.IsNullOrEmpty(account) ? null : account, home)).Select(r => WithAccount(r, home))];
    }

    /// <summary>The newest drill of every key set ever drilled, for any dashboard role.</summary>
    public async Task<IReadOnlyList<FailoverDrillResult>> LatestPerKeySetAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await AuthorizeReadAsync(user);
        var home = await LegacyAccountAsync(cancellationToken);
        return [.. (await store.LatestPerKeySetAsync(cancellationToken)).Select(r => WithAccount(r, home))];
    }

    /// <summary>With several accounts, the account drills stored before accounts ran in: the dashboard's own (STS), else none.</summary>
    private async Task<string?> LegacyAccountAsync(CancellationToken cancellationToken) =>
        MultiAccount ? await accounts!.HomeAccountIdAsync(cancellationToken) : null;

    private static FailoverDrillResult WithAccount(FailoverDrillResult result, string? legacy) =>
        result.Account.Length == 0 && legacy is not null ? result with { Account = legacy } : result;

    private KeySet Resolve(DrillTarget target)
    {
        var id = target.KeyId?.Trim() ?? "";
        var account = target.Account?.Trim() ?? "";
        if (KeyInputRules.CheckKeyId(id) is { } problem) throw new FailoverDrillException(problem);
        if (!KeyInputRules.IsMultiRegionKeyId(id))
            throw new FailoverDrillException($"{id} is a single-Region key: a failover drill needs a multi-Region key set (mrk-…).");
        if (MultiAccount)
        {
            if (account.Length == 0) throw new FailoverDrillException("Choose the key set's account: the dashboard reads several accounts.");
            if (accounts!.Find(account) is null)
                throw new FailoverDrillException(AccountRules.IsAccountId(account) ? $"Account {account} is not one of the dashboard's accounts." : $"'{account}' is not an AWS account id (12 digits).");
        }
        else if (account.Length > 0) throw new FailoverDrillException($"The dashboard reads one account, so no account is chosen (got {account}).");
        var set = inventory.Current.FindKeySet(id, MultiAccount ? account : null)
                  ?? throw new FailoverDrillException($"{id} is not a key set of the inventory{(MultiAccount ? $" in account {account}" : "")}; refresh it or check the key id.");
        if (set.Representative.AwsManaged) throw new FailoverDrillException($"{id} is an AWS managed key.");
        if (!IsSymmetricEncryption(set.Representative))
            throw new FailoverDrillException($"{set.DisplayName} ({id}) is a {set.Representative.KeySpec} {set.Representative.KeyUsage} key: " +
                                             "a drill uses GenerateDataKey and Decrypt, which need a symmetric encryption key.");
        var accountRegions = RegionsOf(set.Account);
        var regions = SetRegions(set).Where(accountRegions.Contains).ToList();
        if (regions.Count < 2)
            throw new FailoverDrillException($"{set.DisplayName} ({id}) has {regions.Count} Region among the {(MultiAccount ? "account's" : "dashboard's")}; a drill needs at least two.");
        return set;
    }

    /// <summary>The set's Regions from its own configuration (primary, replicas) and what the inventory read, primary first.</summary>
    private static List<string> SetRegions(KeySet set)
    {
        var regions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var member in set.Members.Values)
        {
            regions.Add(member.Region);
            foreach (var replica in member.ReplicaRegions) regions.Add(replica);
        }
        regions.Remove(set.PrimaryRegion);
        return [set.PrimaryRegion, .. regions];
    }

    private async Task<FailoverDrillResult> RunSetAsync(DashboardUser who, KeySet set, bool primaryDown, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var started = time.GetUtcNow();
        var allRegions = SetRegions(set);
        var accountRegions = RegionsOf(set.Account);
        var notes = allRegions.Where(r => !accountRegions.Contains(r))
            .Select(r => $"{r} holds a key of the set but is not one of the {(MultiAccount ? "account's" : "dashboard's")} Regions: not drilled.").ToList();
        var preferred = set.Primary?.Aliases.FirstOrDefault();
        var regions = allRegions.Where(accountRegions.Contains).Select(r => Plan(set, r, preferred, primaryDown)).ToList();
        // Calls made for the user: in a member account through the role assumed in the user's name, so its CloudTrail names them.
        var kms = ClientsFor(set.Account, who);
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PurposeContextKey] = PurposeContextValue,
            ["kmsdashboard:drill"] = id.ToString(),
        };

        var journalId = await JournalStartAsync(who, set, primaryDown, regions, cancellationToken);
        logger.LogInformation("Failover drill {DrillId} of {KeyId} ({Name}{Account}) by {User}: {Regions} Regions, primary down {PrimaryDown}",
            id, set.KeyId, set.DisplayName, set.Account.Length > 0 ? $", account {set.Account}" : "", who.Name, regions.Count, primaryDown);

        var active = regions.Where(r => !r.Skipped).ToList();
        var generated = await Task.WhenAll(active.Select(r => GenerateAsync(kms, r, context, cancellationToken)));
        var cells = new List<DrillCell>();
        var decrypts = new List<Task<DrillCell>>();
        foreach (var (source, call, blob, plaintext) in generated)
        {
            cells.Add(new DrillCell(source.Region, source.Region, call.Ok ? DrillCellStatus.Ok : DrillCellStatus.Failed, call,
                call.Ok ? $"GenerateDataKey with {source.KeyName}" : call.Message));
            foreach (var target in active.Where(t => t.Region != source.Region))
            {
                decrypts.Add(blob is null || plaintext is null
                    ? Task.FromResult(new DrillCell(source.Region, target.Region, DrillCellStatus.NotAttempted, null,
                        $"No ciphertext to decrypt: GenerateDataKey failed in {source.Region}."))
                    : DecryptAsync(kms, source.Region, target, blob, plaintext, context, cancellationToken));
            }
        }
        cells.AddRange(await Task.WhenAll(decrypts));
        foreach (var (_, _, _, plaintext) in generated) if (plaintext is not null) CryptographicOperations.ZeroMemory(plaintext);
        foreach (var skipped in regions.Where(r => r.Skipped))
            foreach (var other in regions)
            {
                cells.Add(new DrillCell(skipped.Region, other.Region, DrillCellStatus.Skipped, null, "Primary down: its Region is skipped."));
                if (other.Region != skipped.Region)
                    cells.Add(new DrillCell(other.Region, skipped.Region, DrillCellStatus.Skipped, null, "Primary down: its Region is skipped."));
            }

        var order = regions.Select(r => r.Region).ToList();
        cells = [.. cells.DistinctBy(c => (c.Source, c.Target)).OrderBy(c => order.IndexOf(c.Source)).ThenBy(c => order.IndexOf(c.Target))];
        var servesAlone = regions.ToDictionary(r => r.Region, r => !r.Skipped && ServesAlone(r.Region, cells), StringComparer.Ordinal);
        var result = new FailoverDrillResult
        {
            Id = id, KeyId = set.KeyId, Account = set.Account, Name = set.DisplayName, PrimaryRegion = set.PrimaryRegion, PrimaryDown = primaryDown,
            User = who.Name, StartedAt = started, CompletedAt = time.GetUtcNow(),
            Regions = [.. regions.Select(r => r with { ServesAlone = servesAlone[r.Region] })],
            Cells = cells, Notes = notes, JournalId = journalId,
        };
        await JournalCompleteAsync(journalId, result, cancellationToken);
        await store.SaveAsync(result, cancellationToken);
        logger.LogInformation("Failover drill {DrillId} of {KeyId}: {FailedCells} failed cells; every Region serves alone: {ServesAlone}",
            id, set.KeyId, result.FailedCells, result.EveryRegionServesAlone);
        return result;
    }

    /// <summary>A Region serves on its own when it generated a data key and decrypted every ciphertext the other Regions made.</summary>
    private static bool ServesAlone(string region, IReadOnlyList<DrillCell> cells) =>
        cells.Any(c => c.IsGenerate && c.Source == region && c.Status == DrillCellStatus.Ok)
        && cells.Where(c => c.Target == region && !c.IsGenerate && c.Status != DrillCellStatus.NotAttempted)
            .All(c => c.Status is DrillCellStatus.Ok or DrillCellStatus.Skipped);

    private static DrillRegion Plan(KeySet set, string region, string? preferred, bool primaryDown)
    {
        var member = set.Members.GetValueOrDefault(region);
        var isPrimary = region == set.PrimaryRegion;
        var skipped = primaryDown && isPrimary;
        var alias = member is null ? null : preferred is not null && member.Aliases.Contains(preferred) ? preferred : member.Aliases.FirstOrDefault();
        var note = alias is not null ? ""
            : member is null ? $"Not in the inventory's last read of {region}: the key id is used."
            : $"No alias in {region}: the key id is used (applications there cannot name the key by alias).";
        if (skipped) note = "Primary down: skipped, as if unavailable (nothing was disabled).";
        return new DrillRegion(region, isPrimary, alias ?? set.KeyId, alias is not null, skipped, false, note);
    }

    private async Task<(DrillRegion Source, DrillCall Call, byte[]? Blob, byte[]? Plaintext)> GenerateAsync(
        AwsClients kms, DrillRegion source, Dictionary<string, string> context, CancellationToken cancellationToken)
    {
        var (call, response) = await TimedAsync(kms, source.Region, "GenerateDataKey", (kms, ct) => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest
        {
            KeyId = source.KeyName, KeySpec = DataKeySpec.AES_256, EncryptionContext = context,
        }, ct), cancellationToken);
        if (response is null) return (source, call, null, null);
        using var blob = response.CiphertextBlob;
        using var plaintext = response.Plaintext;
        return (source, call with { Message = $"Data key generated by {response.KeyId}" }, blob.ToArray(), plaintext.ToArray());
    }

    private async Task<DrillCell> DecryptAsync(
        AwsClients kms, string source, DrillRegion target, byte[] blob, byte[] plaintext, Dictionary<string, string> context, CancellationToken cancellationToken)
    {
        var (call, response) = await TimedAsync(kms, target.Region, "Decrypt", (kms, ct) => kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(blob), KeyId = target.KeyName, EncryptionContext = context,
        }, ct), cancellationToken);
        if (response is null) return new DrillCell(source, target.Region, DrillCellStatus.Failed, call, call.Message);
        using var decrypted = response.Plaintext;
        var bytes = decrypted.ToArray();
        var same = CryptographicOperations.FixedTimeEquals(bytes, plaintext);
        CryptographicOperations.ZeroMemory(bytes);
        if (!same)
        {
            var wrong = call with { Ok = false, ErrorCode = "PlaintextMismatch", Message = "Decrypt answered, but not with the data key that was generated." };
            return new DrillCell(source, target.Region, DrillCellStatus.Failed, wrong, wrong.Message);
        }
        var done = call with { Message = $"Decrypted by {response.KeyId}" };
        return new DrillCell(source, target.Region, DrillCellStatus.Ok, done, done.Message);
    }

    private async Task<(DrillCall Call, TResponse? Response)> TimedAsync<TResponse>(
        AwsClients kms, string region, string operation, Func<IAmazonKeyManagementService, CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await send(kms.Kms(region), timeout.Token);
            return (new DrillCall(region, operation, true, watch.Elapsed.TotalMilliseconds, null, "", response.ResponseMetadata?.RequestId), response);
        }
        catch (AmazonServiceException ex)
        {
            return (new DrillCall(region, operation, false, watch.Elapsed.TotalMilliseconds, ex.ErrorCode, $"{ex.ErrorCode}: {ex.Message}", ex.RequestId), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new DrillCall(region, operation, false, watch.Elapsed.TotalMilliseconds, "Timeout",
                $"No answer within {CallTimeout.TotalSeconds:0} s.", null), null);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException)
        {
            return (new DrillCall(region, operation, false, watch.Elapsed.TotalMilliseconds, "NetworkFailure", ex.Message, null), null);
        }
    }

    private async Task<long?> JournalStartAsync(DashboardUser who, KeySet set, bool primaryDown, IReadOnlyList<DrillRegion> regions, CancellationToken cancellationToken)
    {
        var active = regions.Where(r => !r.Skipped).ToList();
        var entry = new JournalEntry
        {
            At = time.GetUtcNow().UtcDateTime, User = who.Name, Roles = string.Join(",", who.Roles), Action = JournalAction,
            KeyId = set.KeyId, Region = set.PrimaryRegion, Outcome = ActionJournal.Running,
            Summary = $"Failover drill of {set.DisplayName} (read only: GenerateDataKey and Decrypt, no key is changed)",
            Inputs = set.Account.Length == 0
                ? JsonSerializer.Serialize(new { keyId = set.KeyId, primaryDown, readOnly = true })
                : JsonSerializer.Serialize(new { keyId = set.KeyId, account = set.Account, primaryDown, readOnly = true }),
            Plan = JsonSerializer.Serialize(new
            {
                regions = regions.Select(r => new { r.Region, r.KeyName, r.Skipped }),
                calls = active.Select(r => $"{r.Region} GenerateDataKey {r.KeyName}")
                    .Concat(active.SelectMany(s => active.Where(t => t != s).Select(t => $"{t.Region} Decrypt ciphertext from {s.Region}"))),
            }),
        };
        try
        {
            return await journal.AppendAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The drill changes nothing, so a journal that cannot be written does not stop it; the log says so.
            logger.LogError(ex, "Could not journal the failover drill of {KeyId}", set.KeyId);
            return null;
        }
    }

    private async Task JournalCompleteAsync(long? journalId, FailoverDrillResult result, CancellationToken cancellationToken)
    {
        if (journalId is not { } entryId) return;
        var outcome = result.FailedCells == 0 ? ActionOutcome.Succeeded
            : result.Cells.Any(c => c.Status == DrillCellStatus.Ok) ? ActionOutcome.PartiallySucceeded : ActionOutcome.Failed;
        var step = 0;
        var calls = result.Cells.Where(c => c.Call is not null).Select(c => new JournalCall
        {
            Step = ++step, Region = c.Target, Operation = c.Call!.Operation, Status = c.Call.Ok ? "Succeeded" : "Failed",
            Message = c.IsGenerate ? $"{c.Call.LatencyMs:0} ms {c.Message}" : $"{c.Call.LatencyMs:0} ms ciphertext from {c.Source}: {c.Message}",
            RequestId = c.Call.RequestId,
        }).ToList();
        try
        {
            await journal.CompleteAsync(entryId, outcome.ToString(), result.Summary, calls, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not complete the journal entry {JournalId} of the failover drill of {KeyId}", entryId, result.KeyId);
        }
    }

    private async Task AuthorizeStartAsync(ClaimsPrincipal user)
    {
        if (!await CanStartAsync(user))
            throw new DrillAccessDeniedException($"{DashboardUser.From(user)} may not start failover drills: that needs the Operator or Admin role.");
    }

    private async Task AuthorizeReadAsync(ClaimsPrincipal user)
    {
        if (!await CanReadAsync(user))
            throw new DrillAccessDeniedException($"{DashboardUser.From(user)} may not read failover drills: that needs a dashboard role.");
    }
}
