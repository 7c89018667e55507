using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using System.Threading.Channels;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// CloudTrail activity across Regions for auditors: plans a query (authorize ▸ validate ▸ resolve a key or alias to
/// every related key ARN), searches it for the Audit page, and streams it to CSV or JSON Lines with flat memory.
/// Regions run in parallel, each paced by the shared CloudTrail limiter; one failing Region never stops the others.
/// With several accounts (<see cref="AwsAccounts"/>) every account's Regions are read — a member account's with its
/// assumed-role credentials, the dashboard's own with its own — each account-Region paced on its own (CloudTrail's limit is
/// per account and Region); an account whose role cannot be assumed fails as its Regions while the others load.
/// </summary>
public sealed class AuditService(
    CloudTrailClients clients, KeyInventory inventory, AwsClients aws, IAuthorizationService authorization,
    ILogger<AuditService> logger, TimeProvider? time = null, AwsAccounts? accounts = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _assumeFailingSince = new(StringComparer.Ordinal);

    /// <summary>True when the dashboard reads several accounts: the views show an Account column and filter.</summary>
    public bool MultiAccount => accounts?.MultiAccount == true;

    /// <summary>The dashboard's Regions, and any other Region an account is read in.</summary>
    public IReadOnlyList<string> ConfiguredRegions =>
        accounts is { MultiAccount: true } a
            ? [.. aws.Regions.Concat(a.Configured.SelectMany(x => x.Regions)).Concat(aws.Options.Organization?.Regions ?? []).Distinct(StringComparer.Ordinal)]
            : aws.Regions;

    /// <summary>The accounts the dashboard reads when it reads several; empty in the single-account set-up.</summary>
    public async Task<IReadOnlyList<AwsAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
        accounts is { MultiAccount: true } a ? await a.ListAsync(cancellationToken) : [];

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>True when <paramref name="user"/> may see and export CloudTrail activity (Auditor or Admin).</summary>
    public async Task<bool> CanAuditAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, null, DashboardPolicies.CanAudit)).Succeeded;

    /// <summary>Authorizes, validates and resolves a query into lookups; throws <see cref="AuditQueryException"/> with reasons.</summary>
    public async Task<AuditPlan> PlanAsync(AuditQuery query, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(user);
        var problems = query.Validate(Now, [.. ConfiguredRegions]);
        if (problems.Count > 0) throw new AuditQueryException(problems);
        var read = await AccountsToReadAsync(query.Account, cancellationToken);
        var multi = MultiAccount;
        string Name(string account) => read.FirstOrDefault(a => a.Id == account) is { } a && !string.IsNullOrEmpty(a.Name) ? a.Name : account;
        string Where(string account, string region) => AuditAccountLabel.Of(Name(account), account, region);
        var notes = new List<string>();
        var lookups = new List<AuditLookup>();
        // LookupEvents takes one attribute: the most selective goes to CloudTrail, the rest are checked here.
        var criteria = query.Criteria();
        IReadOnlyList<AuditCriterion> clientSide;
        if (query.Filter == AuditFilterKind.Key)
        {
            if (inventory.Current.ReadAt is null) await inventory.RefreshAsync(cancellationToken);
            var (arnsByRegion, resolveNotes) = AuditKeyResolver.Resolve(inventory.Current, query.Value, query.Account.Length > 0 ? query.Account : null);
            notes.AddRange(resolveNotes);
            if (arnsByRegion.Count == 0)
                throw new AuditQueryException([query.Account.Length > 0
                    ? $"No key or alias '{query.Value.Trim()}' in account {Name(query.Account)} ({query.Account}). Give a key id, key ARN or alias name (alias/...), or choose another account."
                    : $"No key or alias '{query.Value.Trim()}' in the inventory. Give a key id, key ARN or alias name (alias/...)."]);
            foreach (var ((account, region), arns) in arnsByRegion.OrderBy(kv => Name(kv.Key.Account), StringComparer.OrdinalIgnoreCase).ThenBy(kv => kv.Key.Region, StringComparer.Ordinal))
            {
                if (multi && !read.Any(a => a.Id == account))
                {
                    notes.Add($"{string.Join(", ", arns)} is in account {account}, which the dashboard does not read.");
                    continue;
                }
                if (!query.KeySetRegions && !query.Regions.Contains(region))
                {
                    notes.Add($"The key set is also in {Where(account, region)}, which is not selected.");
                    continue;
                }
                lookups.AddRange(arns.Select(arn => new AuditLookup(region, LookupAttributeKey.ResourceName, arn) { Account = account }));
            }
            if (lookups.Count == 0)
                throw new AuditQueryException([$"'{query.Value.Trim()}' has no key in the selected Regions; it lives in {string.Join(", ", arnsByRegion.Keys.Select(k => Where(k.Account, k.Region)))}."]);
            clientSide = criteria;
        }
        else if (criteria.Count == 0)
        {
            // Without a filter, KMS events only: CloudTrail's lookup is per service source.
            lookups.AddRange(Targets(read, query, notes).Select(t => new AuditLookup(t.Region, LookupAttributeKey.EventSource, "kms.amazonaws.com") { Account = t.Account }));
            clientSide = [];
        }
        else
        {
            var server = criteria[0];
            lookups.AddRange(Targets(read, query, notes).Select(t => new AuditLookup(t.Region, server.Attribute, server.Value) { Account = t.Account }));
            clientSide = [.. criteria.Skip(1)];
            notes.Add($"CloudTrail's lookup takes one attribute ({server.Describe()}), so this search shows events of every AWS service, not only KMS.");
        }
        if (clientSide.Count > 0)
        {
            var asked = query.Filter == AuditFilterKind.Key ? "the key" : criteria[0].Describe();
            notes.Add($"CloudTrail is asked for {asked} only; {string.Join(", ", clientSide.Select(c => c.Describe()))} is checked here on every event read, so pages read count events that are not shown.");
        }
        if (lookups.Count == 0)
            throw new AuditQueryException([$"No account the dashboard reads is read in {string.Join(", ", query.Regions)}: {string.Join("; ", read.Select(a => $"{a.Label} is read in {string.Join(", ", a.Regions)}"))}."]);
        return new AuditPlan(query, lookups, notes) { ClientSide = clientSide, Accounts = read, MultiAccount = multi };
    }

    /// <summary>Each account's Regions among those chosen; an account read in none of them is named in the notes.</summary>
    private static List<(string Account, string Region)> Targets(IReadOnlyList<AwsAccount> read, AuditQuery query, List<string> notes)
    {
        var targets = new List<(string, string)>();
        foreach (var account in read)
        {
            var regions = query.Regions.Where(r => account.Regions.Contains(r, StringComparer.Ordinal)).ToList();
            if (regions.Count == 0 && !account.IsDefault) notes.Add($"Account {account.Label} is read in {string.Join(", ", account.Regions)} only, none of them chosen.");
            targets.AddRange(regions.Select(r => (account.Id, r)));
        }
        return targets;
    }

    /// <summary>
    /// The accounts a query reads: every account the dashboard reads, or the one it names — checked before any CloudTrail
    /// call (a malformed id is refused by <see cref="AuditQuery.Validate"/>; an id the dashboard does not read, here).
    /// </summary>
    private async Task<IReadOnlyList<AwsAccount>> AccountsToReadAsync(string account, CancellationToken cancellationToken)
    {
        if (accounts is not { MultiAccount: true } all)
        {
            if (account.Length > 0) throw new AuditQueryException(["The dashboard reads one account: there is no account to choose."]);
            return [new AwsAccount("", "", null, null, aws.Regions)];
        }
        IReadOnlyList<AwsAccount> list;
        try
        {
            list = await all.ListAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new AuditQueryException([$"The organization's accounts could not be listed: {ex.Message}"]);
        }
        if (account.Length == 0) return list;
        return list.FirstOrDefault(a => a.Id == account) is { } one
            ? [one]
            : throw new AuditQueryException([$"Account {account} is not one of the dashboard's accounts ({string.Join(", ", list.Select(a => a.Label))})."]);
    }

    /// <summary>Up to <paramref name="maxPerRegion"/> newest events of each Region, merged newest first.</summary>
    public Task<AuditSearchResult> SearchAsync(AuditQuery query, ClaimsPrincipal user, int maxPerRegion, CancellationToken cancellationToken) =>
        SearchAsync(query, user, new AuditSearchLimits(maxPerRegion), null, cancellationToken);

    /// <summary>
    /// The newest events of each Region within <paramref name="limits"/> (per Region, and a size budget across
    /// Regions), merged newest first; <paramref name="progress"/> hears after every page how far each Region has got.
    /// </summary>
    public async Task<AuditSearchResult> SearchAsync(
        AuditQuery query, ClaimsPrincipal user, AuditSearchLimits limits, IProgress<AuditSearchProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(query, user, cancellationToken);
        var runs = plan.Lookups.GroupBy(l => (l.Account, l.Region)).Select(g => new SearchRun(g.Key.Account, plan.AccountName(g.Key.Account), g.Key.Region, [.. g])).ToList();
        var assumed = AssumeChecks(plan, cancellationToken);
        long bytes = 0;
        var cutBySize = 0;
        void Report() => progress?.Report(new AuditSearchProgress([.. runs.Select(r => r.Progress())]));
        Report();
        var tasks = runs.Select(async run =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                if (await assumed(run.Account) is { } failure)
                {
                    // The account's role cannot be assumed: its Regions fail, with no CloudTrail call; the others go on.
                    (run.Error, run.FailingSince) = (failure.Error, failure.Since);
                    run.Done = true;
                    Report();
                    return;
                }
                foreach (var lookup in run.Lookups)
                {
                    await foreach (var page in Pages(run.Account, run.Region, lookup.ToRequest(query), cancellationToken))
                    {
                        var full = false;
                        var read = 0;
                        foreach (var raw in page.Events)
                        {
                            read++;
                            var e = Stamp(CloudTrailRecordParser.Parse(raw, run.Region), run.Account, run.AccountName);
                            if (!seen.Add(e.EventId) || !plan.Keep(e)) continue;
                            if (!limits.KeepRecords) e = e with { Record = "" };
                            if (Interlocked.Add(ref bytes, e.ApproximateBytes()) > limits.MaxBytes)
                            {
                                Interlocked.Exchange(ref cutBySize, 1);
                                full = true;
                                break;
                            }
                            run.Events.Add(e);
                            if (run.Events.Count >= limits.MaxPerRegion)
                            {
                                full = true;
                                break;
                            }
                        }
                        run.Page(read);
                        Report();
                        if (full || Volatile.Read(ref cutBySize) == 1)
                        {
                            // Cut short only if something is left unread: this page's rest or a next page.
                            run.Truncated = read < page.Events.Count || !string.IsNullOrEmpty(page.NextToken);
                            if (run.Truncated) break;
                        }
                    }
                    if (run.Truncated) break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // Any failure (AWS's answer, the network, expired credentials) is this Region's alone.
                run.Error = Reason(ex);
                logger.LogWarning("Audit search in {Region} (account {Account}) failed: {Reason}", run.Region, run.Account, run.Error);
            }
            run.Done = true;
            Report();
        }).ToList();
        await Task.WhenAll(tasks);
        var merged = runs.SelectMany(r => r.Events).OrderByDescending(e => e.EventTime).ThenBy(e => e.Account, StringComparer.Ordinal)
            .ThenBy(e => e.Region, StringComparer.Ordinal).ToList();
        return new AuditSearchResult(plan, merged, [.. runs.Select(r => r.Outcome())])
        {
            CutBySize = cutBySize == 1,
            ApproximateBytes = merged.Sum(e => e.ApproximateBytes()),
        };
    }

    /// <summary>
    /// The full CloudTrail record of one event, read again by its id (the Audit page keeps events without their raw
    /// JSON and asks for it only when a user opens one); null when CloudTrail no longer has it.
    /// </summary>
    public async Task<string?> ReadRecordAsync(AuditEvent e, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(user);
        if (e.Account.Length > 0 && (accounts is not { MultiAccount: true } all || all.Find(e.Account) is null))
            throw new AuditQueryException([$"Account {e.Account} is not one of the dashboard's accounts."]);
        var request = new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventId, AttributeValue = e.EventId }],
            StartTime = e.EventTime.UtcDateTime.AddMinutes(-1),
            EndTime = e.EventTime.UtcDateTime.AddMinutes(1),
            MaxResults = 50,
        };
        await foreach (var page in Pages(e.Account, e.Region, request, cancellationToken))
            if (page.Events.FirstOrDefault(x => x.EventId == e.EventId) is { } found) return found.CloudTrailEvent;
        return null;
    }

    /// <summary>
    /// Streams every event of the query to <paramref name="output"/>: Regions read in parallel at CloudTrail's pace,
    /// pages written as they arrive (memory stays flat), a header line first and the count last.
    /// </summary>
    public async Task<AuditExportResult> ExportAsync(
        AuditQuery query, ClaimsPrincipal user, AuditExportFormat format, Stream output,
        IProgress<AuditExportProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(query, user, cancellationToken);
        var startedAt = Now;
        var clock = Stopwatch.StartNew();
        var by = DashboardUser.From(user).Name;
        await using var writer = new AuditExportWriter(output, format);
        await writer.WriteHeaderAsync(plan, startedAt, by, cancellationToken);
        logger.LogInformation("Audit export of {Query} as {Format} started by {User}", query.Describe(), format, by);

        var regions = plan.Lookups.GroupBy(l => (l.Account, l.Region)).Select(g => new RegionRun(g.Key.Account, plan.AccountName(g.Key.Account), g.Key.Region, [.. g])).ToList();
        var assumed = AssumeChecks(plan, cancellationToken);
        var channel = Channel.CreateBounded<IReadOnlyList<AuditEvent>>(new BoundedChannelOptions(Math.Max(4, regions.Count * 2)) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = regions.Select(run => Task.Run(() => ReadRegionAsync(run, plan, assumed, channel.Writer, stop.Token), stop.Token)).ToList();
        var completion = Task.WhenAll(producers).ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);

        long events = 0;
        var pages = 0;
        var cancelled = false;
        try
        {
            await foreach (var page in channel.Reader.ReadAllAsync(cancellationToken))
            {
                await writer.WriteEventsAsync(page, cancellationToken);
                events += page.Count;
                pages++;
                progress?.Report(Progress(regions, query, events, clock.Elapsed));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            await stop.CancelAsync();
        }
        catch
        {
            // The output failed (the client went away): stop reading CloudTrail too.
            await stop.CancelAsync();
            await completion;
            throw;
        }
        await completion;
        var outcomes = regions.Select(r => r.Outcome()).ToList();
        // Complete only when every account-Region read to its end: one that failed, or stopped for any reason, is named.
        var result = new AuditExportResult(events, regions.Sum(r => r.Pages), !cancelled && regions.All(r => r.Done) && outcomes.All(o => o.Error is null), outcomes, clock.Elapsed)
        {
            Cancelled = cancelled,
        };
        try
        {
            await writer.WriteSummaryAsync(result, Now);
        }
        catch (Exception ex) when (cancelled && ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away; there is nobody to read the closing line.
        }
        progress?.Report(Progress(regions, query, events, clock.Elapsed) with { Fraction = 1 });
        logger.LogInformation("Audit export of {Query} wrote {Events} events in {Pages} pages ({Status}) for {User}",
            query.Describe(), events, pages, result.Complete ? "complete" : "incomplete", by);
        if (cancelled) throw new OperationCanceledException(cancellationToken);
        return result;
    }

    private async Task ReadRegionAsync(
        RegionRun run, AuditPlan plan, Func<string, Task<AccountFailure?>> assumed, ChannelWriter<IReadOnlyList<AuditEvent>> output, CancellationToken cancellationToken)
    {
        var query = plan.Query;
        // Only a Region searched with several ARNs (a drifted alias) can see one event twice.
        var seen = run.Lookups.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        try
        {
            if (await assumed(run.Account) is { } failure)
            {
                (run.Error, run.FailingSince) = (failure.Error, failure.Since);
                return;
            }
            foreach (var lookup in run.Lookups)
            {
                await foreach (var page in Pages(run.Account, run.Region, lookup.ToRequest(query), cancellationToken))
                {
                    var all = page.Events.Select(e => Stamp(CloudTrailRecordParser.Parse(e, run.Region), run.Account, run.AccountName)).ToList();
                    var parsed = all.Where(e => (seen is null || seen.Add(e.EventId)) && plan.Keep(e)).ToList();
                    run.Read(all, parsed.Count);
                    if (parsed.Count > 0) await output.WriteAsync(parsed, cancellationToken);
                }
            }
            run.Done = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Error = "cancelled";
        }
        catch (Exception ex)
        {
            // Any failure (AWS's answer, the network, expired credentials, a bug) marks this Region, and so the file, incomplete.
            run.Error = Reason(ex);
            logger.LogWarning("Audit export in {Region} (account {Account}) failed: {Reason}", run.Region, run.Account, run.Error);
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        AwsServiceException aws => $"{aws.ErrorCode}: {aws.Message}",
        Amazon.Runtime.AmazonServiceException sdk => $"{sdk.ErrorCode ?? sdk.GetType().Name}: {sdk.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private async IAsyncEnumerable<LookupEventsResponse> Pages(
        string account, string region, LookupEventsRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = Reader is { } reader ? reader(region, request, cancellationToken) : (await ClientAsync(account, region, cancellationToken)).LookupAllPagesAsync(request, cancellationToken);
        await foreach (var page in pages.WithCancellation(cancellationToken)) yield return page;
    }

    /// <summary>
    /// CloudTrail of <paramref name="region"/> in <paramref name="account"/>: the dashboard's own account (the single one, or
    /// its own among several) through its own clients — so its slots are those every other CloudTrail read of the
    /// dashboard takes — and a member account through its role, paced by its own account-Region slots.
    /// </summary>
    private async Task<CloudTrailClient> ClientAsync(string account, string region, CancellationToken cancellationToken)
    {
        if (account.Length == 0 || accounts is null || await accounts.HomeAccountIdAsync(cancellationToken) == account) return clients.For(region);
        var known = accounts.Find(account) ?? throw new AuditQueryException([$"Account {account} is not one of the dashboard's accounts."]);
        return clients.Of(accounts, known).For(region);
    }

    /// <summary>An account whose role cannot be assumed: what failed and since when.</summary>
    private sealed record AccountFailure(string Error, DateTimeOffset Since);

    /// <summary>For one search or export: each member account's role is assumed once, before its first CloudTrail call.</summary>
    private Func<string, Task<AccountFailure?>> AssumeChecks(AuditPlan plan, CancellationToken cancellationToken)
    {
        var checks = new ConcurrentDictionary<string, Lazy<Task<AccountFailure?>>>(StringComparer.Ordinal);
        return account => checks.GetOrAdd(account, a => new Lazy<Task<AccountFailure?>>(() => AssumeAsync(plan, a, cancellationToken))).Value;
    }

    private async Task<AccountFailure?> AssumeAsync(AuditPlan plan, string accountId, CancellationToken cancellationToken)
    {
        if (accountId.Length == 0 || accounts is null || Reader is not null || await accounts.HomeAccountIdAsync(cancellationToken) == accountId) return null;
        var account = plan.Accounts.FirstOrDefault(a => a.Id == accountId) ?? accounts.Find(accountId);
        if (account is null) return new AccountFailure($"Account {accountId} is not one of the dashboard's accounts.", Now);
        try
        {
            await accounts.Clients(account).Credentials.GetCredentialsAsync().WaitAsync(cancellationToken);
            _assumeFailingSince.TryRemove(accountId, out _);
            return null;
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var since = _assumeFailingSince.GetOrAdd(accountId, Now);
            // The inventory may have known it for longer.
            if (inventory.Current.FindAccount(accountId)?.AssumeFailingSince is { } earlier && earlier < since) since = earlier;
            logger.LogWarning("Audit: could not assume {RoleArn} in account {Account}: {Reason}", account.RoleArn, accountId, ex.Message);
            return new AccountFailure($"Could not assume {account.RoleArn}: {ex.Message}", since);
        }
    }

    /// <summary>The account an event was read from (the single-account set-up leaves the event as parsed).</summary>
    private static AuditEvent Stamp(AuditEvent e, string account, string accountName) =>
        account.Length == 0 ? e : e with { Account = account, AccountName = accountName };

    /// <summary>Replaces CloudTrail for tests: the pages a Region's reader yields (or the exception it throws).</summary>
    internal Func<string, LookupEventsRequest, CancellationToken, IAsyncEnumerable<LookupEventsResponse>>? Reader { get; init; }

    private static AuditExportProgress Progress(List<RegionRun> regions, AuditQuery query, long events, TimeSpan elapsed)
    {
        var span = (query.End - query.Start).TotalSeconds;
        double Fraction(RegionRun r) => r.Done || r.Error is not null ? 1
            : r.Oldest is { } oldest && span > 0 ? Math.Clamp((query.End - oldest).TotalSeconds / span, 0, 1) : 0;
        var fractions = regions.Select(Fraction).ToList();
        TimeSpan? remaining = null;
        if (regions.All(r => r.Done || r.Error is not null)) remaining = TimeSpan.Zero;
        else if (regions.Where(r => !r.Done && r.Error is null).All(r => Fraction(r) > 0.01))
        {
            // Each Region reads two pages a second at best; what is left is in proportion to what was read.
            var pagesLeft = regions.Where(r => !r.Done && r.Error is null).Max(r => r.Pages * (1 - Fraction(r)) / Fraction(r));
            remaining = CloudTrailRateLimiter.Interval * Math.Ceiling(pagesLeft);
        }
        return new AuditExportProgress(events, regions.Sum(r => r.Pages), regions.Count(r => r.Done || r.Error is not null), regions.Count, elapsed, remaining)
        {
            Fraction = fractions.Count == 0 ? 1 : fractions.Average(),
        };
    }

    private async Task AuthorizeAsync(ClaimsPrincipal user)
    {
        if (!await CanAuditAsync(user))
            throw new AuditAccessDeniedException($"{DashboardUser.From(user)} may not view or export CloudTrail activity: that needs the Auditor or Admin role.");
    }

    private sealed class RegionRun(string account, string accountName, string region, List<AuditLookup> lookups)
    {
        private int _events, _pages;
        private long _oldestTicks = long.MaxValue;

        public string Account { get; } = account;
        public string AccountName { get; } = accountName;
        public DateTimeOffset? FailingSince;
        public string Region { get; } = region;
        public List<AuditLookup> Lookups { get; } = lookups;
        public volatile bool Done;
        public volatile string? Error;
        public int Pages => Volatile.Read(ref _pages);
        public DateTimeOffset? Oldest => Interlocked.Read(ref _oldestTicks) is var t && t == long.MaxValue ? null : new DateTimeOffset(t, TimeSpan.Zero);

        private int _read;

        public void Read(IReadOnlyList<AuditEvent> page, int kept)
        {
            Interlocked.Increment(ref _pages);
            Interlocked.Add(ref _events, kept);
            Interlocked.Add(ref _read, page.Count);
            if (page.Count > 0) Interlocked.Exchange(ref _oldestTicks, Math.Min(Interlocked.Read(ref _oldestTicks), page[^1].EventTime.UtcTicks));
        }

        public AuditRegionOutcome Outcome() => new(Region, Volatile.Read(ref _events), Pages, false, Error ?? (Done ? null : "did not finish"))
        {
            EventsRead = Volatile.Read(ref _read),
            Account = Account,
            AccountName = AccountName,
            FailingSince = FailingSince,
        };
    }

    private sealed class SearchRun(string account, string accountName, string region, List<AuditLookup> lookups)
    {
        private int _pages, _read;

        public string Account { get; } = account;
        public string AccountName { get; } = accountName;
        public DateTimeOffset? FailingSince;
        public string Region { get; } = region;
        public List<AuditLookup> Lookups { get; } = lookups;
        public List<AuditEvent> Events { get; } = [];
        public bool Truncated;
        public volatile bool Done;
        public volatile string? Error;

        public void Page(int read)
        {
            Interlocked.Increment(ref _pages);
            Interlocked.Add(ref _read, read);
        }

        public AuditRegionProgress Progress()
        {
            // Events is only added to by this Region's task; Count is read without a lock for a progress figure.
            return new AuditRegionProgress(Region, Volatile.Read(ref _pages), Volatile.Read(ref _read), Events.Count, Done, Error) { Account = Account, AccountName = AccountName };
        }

        public AuditRegionOutcome Outcome() => new(Region, Events.Count, _pages, Truncated, Error)
        {
            EventsRead = _read,
            Account = Account,
            AccountName = AccountName,
            FailingSince = FailingSince,
        };
    }
}
