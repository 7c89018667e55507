using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Usage;

/// <summary>
/// Usage of the estate from CloudWatch: every configured Region read in parallel (one failing never hides the others),
/// aggregated on the server into stacked charts of at most <see cref="UsageRange.MaxPoints"/> points per series. In the
/// multi-account set-up every account's Regions are read with that account's credentials (a failing account shows as its
/// failing Regions, never hiding the others), and the figures can be narrowed to one account.
/// </summary>
public sealed class UsageService(AwsClients clients, KeyInventory inventory, UsageReader reader, TimeProvider time, AwsAccounts? accounts = null)
{
    /// <summary>The top keys chart shows this many keys, the rest summed as "Other keys".</summary>
    public const int TopKeyCount = 8;

    private const int RegionConcurrency = 6;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// The usage of every account (or of <paramref name="account"/> alone) over <paramref name="range"/>: by Region, by
    /// operation, by account (multi-account only) and the top keys.
    /// </summary>
    public async Task<UsageOverview> LoadOverviewAsync(UsageRange range, IProgress<UsageLoadProgress>? progress, CancellationToken cancellationToken, string? account = null)
    {
        var read = await AccountsAsync(account, cancellationToken);
        var regions = await ReadRegionsAsync([.. read.SelectMany(a => a.Regions.Select(r => (a, r)))], range, (_, _) => null, onlyKnown: false, progress, cancellationToken);
        var timeline = range.Timeline();
        var all = regions.SelectMany(r => r.Series).ToList();
        var byRegion = Chart("Requests by Region", timeline, regions.GroupBy(r => r.Region).Select(g => (g.Key, g.SelectMany(r => r.Series))));
        var byOperation = Chart("Requests by operation", timeline, all.GroupBy(s => s.Operation).Select(g => (g.Key, g.AsEnumerable())));
        var multi = accounts?.MultiAccount == true;
        var labels = read.ToDictionary(a => a.Id, a => a.Label, StringComparer.Ordinal);
        var byAccount = multi
            ? Chart("Requests by account", timeline, regions.GroupBy(r => r.Account).Select(g => (labels.GetValueOrDefault(g.Key, g.Key), g.SelectMany(r => r.Series))))
            : null;
        // Key ids are unique within an account only: a key is its account and id.
        var byKey = regions.SelectMany(r => r.Series.Select(s => (r.Account, Series: s))).GroupBy(x => (x.Account, x.Series.KeyId))
            .Select(g => (Name: NameOf(g.Key.KeyId, g.Key.Account, multi ? labels.GetValueOrDefault(g.Key.Account, g.Key.Account) : null), Series: g.Select(x => x.Series), Total: g.Sum(x => x.Series.Values.Sum())))
            .OrderByDescending(k => k.Total).ToList();
        var top = byKey.Take(TopKeyCount).Select(k => (k.Name, k.Series)).ToList();
        if (byKey.Count > TopKeyCount) top.Add(("Other keys", byKey.Skip(TopKeyCount).SelectMany(k => k.Series)));
        var topKeys = Chart($"Top {Math.Min(TopKeyCount, byKey.Count)} keys", timeline, top);
        return new UsageOverview(range, byRegion, byOperation, topKeys, regions, time.GetUtcNow())
        {
            ByAccount = byAccount,
            Accounts = multi ? read.Select(a => new UsageAccount(a.Id, a.Name, a.Label)).ToList() : [],
            Account = account,
        };
    }

    /// <summary>The accounts the dashboard reads (the one default account in the single-account set-up).</summary>
    public async Task<IReadOnlyList<AwsAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
        accounts is null ? [new AwsAccount("", "", null, null, clients.Regions)] : await accounts.ListAsync(cancellationToken);

    /// <summary>The accounts to read: all, or the one named (checked before any CloudWatch call).</summary>
    private async Task<IReadOnlyList<AwsAccount>> AccountsAsync(string? account, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(account)) return await ListAccountsAsync(cancellationToken);
        if (accounts?.MultiAccount != true)
            throw new ArgumentException("The dashboard reads one account: there is no account to choose.", nameof(account));
        if (!AccountRules.IsAccountId(account))
            throw new ArgumentException($"'{account}' is not an AWS account id (12 digits).", nameof(account));
        var all = await accounts.ListAsync(cancellationToken);
        return all.FirstOrDefault(a => a.Id == account) is { } one
            ? [one]
            : throw new ArgumentException($"Account {account} is not one of the dashboard's accounts.", nameof(account));
    }

    /// <summary>A key set's usage: a series per Region for <paramref name="range"/>, and its last use per Region over 90 days.</summary>
    public async Task<KeyUsage> LoadKeyUsageAsync(string keyId, UsageRange range, CancellationToken cancellationToken, string? account = null)
    {
        if (string.IsNullOrWhiteSpace(keyId)) throw new ArgumentException("The key id is empty.", nameof(keyId));
        var members = inventory.Current.FindById(keyId, string.IsNullOrEmpty(account) ? null : account);
        var arns = members.ToDictionary(m => m.Region, m => m.Arn, StringComparer.Ordinal);
        // The key's own account is read, with that account's credentials.
        var owner = members.Count > 0 && accounts is not null ? accounts.Find(members[0].Account) : null;
        var regions = members.Select(m => (owner, m.Region)).ToList();
        var timeline = range.Timeline();
        var read = await ReadRegionsAsync(regions, range, (_, r) => [arns[r]], onlyKnown: true, null, cancellationToken);
        var byRegion = Chart("Requests by Region", timeline, read.Select(r => (r.Region, r.Series.AsEnumerable())));
        var byOperation = Chart("Requests by operation", timeline, read.SelectMany(r => r.Series).GroupBy(s => s.Operation).Select(g => (g.Key, g.AsEnumerable())));

        var now = time.GetUtcNow();
        var ninety = new UsageRange(UsageRangeKind.Last90Days, Hour(now.AddDays(-90)), now, 3600);
        var history = range.Kind == UsageRangeKind.Last90Days && range.PeriodSeconds <= 3600 ? read
            : await ReadRegionsAsync(regions, ninety, (_, r) => [arns[r]], onlyKnown: true, null, cancellationToken);
        var source = ReferenceEquals(history, read) ? range : ninety;
        var lastUse = history.Select(r => new RegionLastUse(r.Region, LastNonZero(r.Series, source), r.Error)).ToList();
        return new KeyUsage(keyId, byRegion, byOperation, lastUse, read);
    }

    /// <summary>Reads each (account, Region) in parallel; a null account is the dashboard's own.</summary>
    internal async Task<IReadOnlyList<RegionUsage>> ReadRegionsAsync(
        IReadOnlyList<(AwsAccount? Account, string Region)> regions, UsageRange range, Func<string, string, IReadOnlyCollection<string>?> knownArns, bool onlyKnown,
        IProgress<UsageLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        progress?.Report(new UsageLoadProgress(0, regions.Count));
        using var gate = new SemaphoreSlim(RegionConcurrency);
        var tasks = regions.Select(async pair =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await reader.ReadRegionAsync(pair.Region, range, knownArns(pair.Account?.Id ?? "", pair.Region), onlyKnown, cancellationToken, pair.Account);
            }
            finally
            {
                gate.Release();
                progress?.Report(new UsageLoadProgress(Interlocked.Increment(ref done), regions.Count));
            }
        });
        return await Task.WhenAll(tasks);
    }

    private string NameOf(string keyId, string account, string? accountLabel)
    {
        var members = inventory.Current.FindById(keyId, inventory.Current.MultiAccount ? account : null);
        var name = members.Count == 0 ? keyId
            // Single-Region keys (AWS managed ones above all) share names across Regions: say which.
            : members.Count == 1 && !members[0].IsMultiRegion ? $"{members[0].DisplayName} ({members[0].Region})" : members[0].DisplayName;
        // Names repeat across accounts (alias/aws/s3 in each): the account says whose.
        return accountLabel is null ? name : $"{name} · {accountLabel}";
    }

    private static DateTimeOffset Hour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? LastNonZero(IEnumerable<KeyMetricSeries> series, UsageRange range)
    {
        var last = -1;
        foreach (var s in series)
            for (var i = s.Values.Length - 1; i > last; i--)
                if (s.Values[i] > 0) { last = i; break; }
        return last < 0 ? null : range.Start.AddSeconds((double)last * range.PeriodSeconds);
    }

    internal static UsageChart Chart(string title, IReadOnlyList<DateTimeOffset> timeline, IEnumerable<(string Name, IEnumerable<KeyMetricSeries> Parts)> groups)
    {
        var series = groups.Select(g =>
        {
            var values = new double[timeline.Count];
            foreach (var part in g.Parts)
                for (var i = 0; i < values.Length && i < part.Values.Length; i++) values[i] += part.Values[i];
            return new UsageSeries(g.Name, values);
        })
        .OrderByDescending(s => s.Name == "Other keys" ? -1 : s.Total).ToList();
        return new UsageChart(title, timeline, series);
    }
}
