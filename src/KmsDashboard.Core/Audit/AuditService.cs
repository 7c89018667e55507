using System.Diagnostics;
using System.Security.Claims;
using System.Threading.Channels;
using KmsDashboard.Core.Aws;
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
/// </summary>
public sealed class AuditService(
    CloudTrailClients clients, KeyInventory inventory, AwsClients aws, IAuthorizationService authorization,
    ILogger<AuditService> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IReadOnlyList<string> ConfiguredRegions => aws.Regions;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>True when <paramref name="user"/> may see and export CloudTrail activity (Auditor or Admin).</summary>
    public async Task<bool> CanAuditAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, null, DashboardPolicies.CanAudit)).Succeeded;

    /// <summary>Authorizes, validates and resolves a query into lookups; throws <see cref="AuditQueryException"/> with reasons.</summary>
    public async Task<AuditPlan> PlanAsync(AuditQuery query, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(user);
        var problems = query.Validate(Now, [.. aws.Regions]);
        if (problems.Count > 0) throw new AuditQueryException(problems);
        var notes = new List<string>();
        var lookups = new List<AuditLookup>();
        // LookupEvents takes one attribute: the most selective goes to CloudTrail, the rest are checked here.
        var criteria = query.Criteria();
        IReadOnlyList<AuditCriterion> clientSide;
        if (query.Filter == AuditFilterKind.Key)
        {
            if (inventory.Current.ReadAt is null) await inventory.RefreshAsync(cancellationToken);
            var (arnsByRegion, resolveNotes) = AuditKeyResolver.Resolve(inventory.Current, query.Value);
            notes.AddRange(resolveNotes);
            if (arnsByRegion.Count == 0)
                throw new AuditQueryException([$"No key or alias '{query.Value.Trim()}' in the inventory. Give a key id, key ARN or alias name (alias/...)."]);
            foreach (var (region, arns) in arnsByRegion.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (!query.KeySetRegions && !query.Regions.Contains(region))
                {
                    notes.Add($"The key set is also in {region}, which is not selected.");
                    continue;
                }
                lookups.AddRange(arns.Select(arn => new AuditLookup(region, LookupAttributeKey.ResourceName, arn)));
            }
            if (lookups.Count == 0)
                throw new AuditQueryException([$"'{query.Value.Trim()}' has no key in the selected Regions; it lives in {string.Join(", ", arnsByRegion.Keys)}."]);
            clientSide = criteria;
        }
        else if (criteria.Count == 0)
        {
            // Without a filter, KMS events only: CloudTrail's lookup is per service source.
            lookups.AddRange(query.Regions.Select(r => new AuditLookup(r, LookupAttributeKey.EventSource, "kms.amazonaws.com")));
            clientSide = [];
        }
        else
        {
            var server = criteria[0];
            lookups.AddRange(query.Regions.Select(r => new AuditLookup(r, server.Attribute, server.Value)));
            clientSide = [.. criteria.Skip(1)];
            notes.Add($"CloudTrail's lookup takes one attribute ({server.Describe()}), so this search shows events of every AWS service, not only KMS.");
        }
        if (clientSide.Count > 0)
        {
            var asked = query.Filter == AuditFilterKind.Key ? "the key" : criteria[0].Describe();
            notes.Add($"CloudTrail is asked for {asked} only; {string.Join(", ", clientSide.Select(c => c.Describe()))} is checked here on every event read, so pages read count events that are not shown.");
        }
        return new AuditPlan(query, lookups, notes) { ClientSide = clientSide };
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
        var runs = plan.Lookups.GroupBy(l => l.Region, StringComparer.Ordinal).Select(g => new SearchRun(g.Key, [.. g])).ToList();
        long bytes = 0;
        var cutBySize = 0;
        void Report() => progress?.Report(new AuditSearchProgress([.. runs.Select(r => r.Progress())]));
        Report();
        var tasks = runs.Select(async run =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var lookup in run.Lookups)
                {
                    await foreach (var page in Pages(run.Region, lookup.ToRequest(query), cancellationToken))
                    {
                        var full = false;
                        var read = 0;
                        foreach (var raw in page.Events)
                        {
                            read++;
                            var e = CloudTrailRecordParser.Parse(raw, run.Region);
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
                logger.LogWarning("Audit search in {Region} failed: {Reason}", run.Region, run.Error);
            }
            run.Done = true;
            Report();
        }).ToList();
        await Task.WhenAll(tasks);
        var merged = runs.SelectMany(r => r.Events).OrderByDescending(e => e.EventTime).ThenBy(e => e.Region, StringComparer.Ordinal).ToList();
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
        var request = new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventId, AttributeValue = e.EventId }],
            StartTime = e.EventTime.UtcDateTime.AddMinutes(-1),
            EndTime = e.EventTime.UtcDateTime.AddMinutes(1),
            MaxResults = 50,
        };
        await foreach (var page in Pages(e.Region, request, cancellationToken))
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

        var regions = plan.Lookups.GroupBy(l => l.Region, StringComparer.Ordinal).Select(g => new RegionRun(g.Key, [.. g])).ToList();
        var channel = Channel.CreateBounded<IReadOnlyList<AuditEvent>>(new BoundedChannelOptions(Math.Max(4, regions.Count * 2)) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = regions.Select(run => Task.Run(() => ReadRegionAsync(run, plan, channel.Writer, stop.Token), stop.Token)).ToList();
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
        // Complete only when every Region read to its end: a Region that failed, or stopped for any reason, is named.
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

    private async Task ReadRegionAsync(RegionRun run, AuditPlan plan, ChannelWriter<IReadOnlyList<AuditEvent>> output, CancellationToken cancellationToken)
    {
        var query = plan.Query;
        // Only a Region searched with several ARNs (a drifted alias) can see one event twice.
        var seen = run.Lookups.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        try
        {
            foreach (var lookup in run.Lookups)
            {
                await foreach (var page in Pages(run.Region, lookup.ToRequest(query), cancellationToken))
                {
                    var all = page.Events.Select(e => CloudTrailRecordParser.Parse(e, run.Region)).ToList();
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
            logger.LogWarning("Audit export in {Region} failed: {Reason}", run.Region, run.Error);
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        AwsServiceException aws => $"{aws.ErrorCode}: {aws.Message}",
        Amazon.Runtime.AmazonServiceException sdk => $"{sdk.ErrorCode ?? sdk.GetType().Name}: {sdk.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private IAsyncEnumerable<LookupEventsResponse> Pages(string region, LookupEventsRequest request, CancellationToken cancellationToken) =>
        Reader is { } reader ? reader(region, request, cancellationToken) : clients.For(region).LookupAllPagesAsync(request, cancellationToken);

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

    private sealed class RegionRun(string region, List<AuditLookup> lookups)
    {
        private int _events, _pages;
        private long _oldestTicks = long.MaxValue;

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
        };
    }

    private sealed class SearchRun(string region, List<AuditLookup> lookups)
    {
        private int _pages, _read;

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
            return new AuditRegionProgress(Region, Volatile.Read(ref _pages), Volatile.Read(ref _read), Events.Count, Done, Error);
        }

        public AuditRegionOutcome Outcome() => new(Region, Events.Count, _pages, Truncated, Error) { EventsRead = _read };
    }
}
