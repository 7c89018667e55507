using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Usage;

/// <summary>
/// Estimates the monthly KMS bill from the inventory snapshot and CloudWatch: $1 per key and replica (not pending deletion,
/// not AWS managed), $1 more for each of a key's first two rotations, requests of the past 30 days at $0.03 per 10,000
/// beyond 20,000 free, shared among key sets by their use; and lists keys with no use in 30 or 90 days. With several
/// accounts each account's CloudWatch is read with its own credentials, every line carries its account, and the free
/// requests count once across the accounts (consolidated billing applies the free tier to the organization).
/// </summary>
public sealed class CostService(KeyInventory inventory, UsageService usage, UsageReader reader, ILogger<CostService> logger, TimeProvider time)
{
    public async Task<CostEstimate> EstimateAsync(IProgress<UsageLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var snapshot = inventory.Current;
        var now = time.GetUtcNow();
        var notes = new List<string>();
        var dayStart = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        var range = new UsageRange(UsageRangeKind.Last90Days, dayStart.AddDays(-90), now, 86400);
        var customer = snapshot.CustomerKeys.ToList();
        var arnsByRegion = customer.GroupBy(k => (k.Account, k.Region)).ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.Select(k => k.Arn).ToList());
        var accounts = await usage.ListAccountsAsync(cancellationToken);
        var multi = snapshot.MultiAccount;
        // Each account's Regions of the snapshot, read with that account's credentials.
        IReadOnlyList<(Aws.Accounts.AwsAccount? Account, string Region)> regions = multi
            ? [.. accounts.SelectMany(a => a.Regions.Where(snapshot.Regions.Contains).Select(r => ((Aws.Accounts.AwsAccount?)a, r)))]
            : [.. snapshot.Regions.Select(r => ((Aws.Accounts.AwsAccount?)null, r))];
        string Where(string account, string region) => multi ? $"{snapshot.AccountLabel(account)} {region}" : region;

        var read = await usage.ReadRegionsAsync(regions, range, (a, r) => arnsByRegion.GetValueOrDefault((multi ? a : "", r)) ?? [], onlyKnown: true, progress, cancellationToken);
        foreach (var failed in read.Where(r => r.Error is not null))
            notes.Add($"{Where(failed.Account, failed.Region)}: CloudWatch could not be read ({failed.Error}); its keys count as unused here.");

        // Per regional key: requests in the last 30 days and the last day with any.
        var thirtyFrom = (int)Math.Max(0, (now.AddDays(-30) - range.Start).TotalSeconds / range.PeriodSeconds);
        var perKey = read.SelectMany(r => r.Series).GroupBy(s => s.KeyArn, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (Requests30: g.Sum(s => s.Values.Skip(thirtyFrom).Sum()),
                  LastDay: g.Select(s => Array.FindLastIndex(s.Values, v => v > 0)).Max()),
            StringComparer.Ordinal);

        // The account's requests of the past 30 days: every KMS call (AWS/Usage CallCount), not only key operations.
        var month = new UsageRange(UsageRangeKind.Last30Days, new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddDays(-30), now, 3600);
        double accountRequests = 0;
        var requestsByAccount = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (account, region) in regions)
        {
            var id = account?.Id ?? "";
            double requests;
            try
            {
                requests = (await reader.ReadCallCountsAsync(region, month, cancellationToken, account)).Values.Sum();
            }
            catch (Exception ex) when (ex is Aws.AwsServiceException || (account is { IsDefault: false } && ex is Amazon.Runtime.AmazonClientException or Amazon.Runtime.AmazonServiceException or HttpRequestException))
            {
                notes.Add($"{Where(id, region)}: AWS/Usage CallCount could not be read ({(ex as Aws.AwsServiceException)?.ErrorCode ?? ex.Message}); its key requests are counted instead.");
                requests = customer.Where(k => k.Region == region && k.Account == id).Sum(k => perKey.GetValueOrDefault(k.Arn).Requests30);
            }
            accountRequests += requests;
            requestsByAccount[id] = requestsByAccount.GetValueOrDefault(id) + requests;
        }
        var keyRequests = perKey.Values.Sum(v => v.Requests30);
        accountRequests = Math.Max(accountRequests, keyRequests);
        var requestCharge = Math.Round((decimal)Math.Max(0, accountRequests - KmsPricing.FreeRequestsPerMonth) / 10_000m * KmsPricing.Per10kRequests, 2);

        var rotations = await ReadRotationCountsAsync(customer, notes, cancellationToken);
        var lines = customer.GroupBy(k => (k.Account, k.KeyId)).Select(g =>
        {
            var billed = g.Count(k => !k.IsPendingDeletion);
            var (count, estimated) = rotations.GetValueOrDefault(g.Key);
            var requests = g.Sum(k => perKey.GetValueOrDefault(k.Arn).Requests30);
            var share = keyRequests > 0 ? requestCharge * (decimal)(requests / keyRequests) : 0m;
            var representative = g.FirstOrDefault(k => k.Role == MultiRegionRole.Primary) ?? g.First();
            return new CostLine(g.Key.KeyId, representative.DisplayName, [.. g.Select(k => k.Region).Order(StringComparer.Ordinal)], billed, count, estimated, requests,
                billed * KmsPricing.KeyMonth, billed * Math.Min(count, KmsPricing.BilledRotations) * KmsPricing.RotationMonth, Math.Round(share, 2))
            {
                Account = g.Key.Account,
            };
        }).OrderByDescending(l => l.Total).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();

        var idle = customer.Select(k =>
        {
            var (requests, lastDay) = perKey.GetValueOrDefault(k.Arn, (0, -1));
            DateTimeOffset? last = lastDay >= 0 ? range.Start.AddDays(lastDay) : null;
            var idleDays = last is null ? 90 : (now - last.Value).TotalDays >= 31 ? 30 : 0;
            var monthly = k.IsPendingDeletion ? 0 : KmsPricing.KeyMonth;
            return new IdleKey(k.Region, k.KeyId, k.DisplayName, k.State, last, idleDays, monthly) { Account = k.Account };
        }).Where(i => i.IdleAtLeastDays > 0).OrderByDescending(i => i.IdleAtLeastDays).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();

        var perAccount = multi
            ? accounts.Select(a => new AccountCost(a.Id, a.Label, lines.Where(l => l.Account == a.Id).ToList(), requestsByAccount.GetValueOrDefault(a.Id))).ToList()
            : [];
        return new CostEstimate(lines, snapshot.AwsManagedKeys.Count, accountRequests, requestCharge, idle, notes, now) { Accounts = perAccount };
    }

    /// <summary>Rotations so far per key id (ListKeyRotations on the primary or single-Region key); estimated from the rotation period when unreadable.</summary>
    private async Task<Dictionary<(string Account, string KeyId), (int Count, bool Estimated)>> ReadRotationCountsAsync(
        IReadOnlyList<RegionalKey> keys, List<string> notes, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string Account, string KeyId), (int, bool)>();
        var owners = keys.Where(k => k.Rotation.Applies && k.Role != MultiRegionRole.Replica && !k.IsPendingDeletion)
            .GroupBy(k => (k.Account, k.KeyId)).Select(g => g.First()).ToList();
        using var gate = new SemaphoreSlim(4);
        var failures = 0;
        await Task.WhenAll(owners.Select(async key =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var history = await inventory.ReadRotationHistoryAsync(key.Ref, cancellationToken);
                lock (result) result[(key.Account, key.KeyId)] = (history.Rotations.Count, false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Rotation history of {KeyId} in {Region} unavailable: {Message}", key.KeyId, key.Region, ex.Message);
                var estimate = key.Rotation is { Enabled: true, PeriodInDays: > 0 } r && key.CreationDate is { } created
                    ? (int)Math.Min(KmsPricing.BilledRotations, (time.GetUtcNow() - created).TotalDays / r.PeriodInDays.Value) : 0;
                lock (result) result[(key.Account, key.KeyId)] = (estimate, true);
                Interlocked.Increment(ref failures);
            }
            finally
            {
                gate.Release();
            }
        }));
        if (failures > 0) notes.Add($"The rotation history of {failures} key(s) could not be read; their rotations are estimated from the rotation period.");
        return result;
    }
}
