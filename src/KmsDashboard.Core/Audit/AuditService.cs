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
        switch (query.Filter)
        {
            case AuditFilterKind.Key:
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
                break;
            default:
                var (key, value) = query.Filter switch
                {
                    AuditFilterKind.EventName => (LookupAttributeKey.EventName, query.Value.Trim()),
                    AuditFilterKind.User => (LookupAttributeKey.Username, query.Value.Trim()),
                    AuditFilterKind.AccessKey => (LookupAttributeKey.AccessKeyId, query.Value.Trim()),
                    AuditFilterKind.ReadOnly => (LookupAttributeKey.ReadOnly, query.Value),
                    // Without a filter, KMS events only: CloudTrail's lookup is per service source.
                    _ => (LookupAttributeKey.EventSource, "kms.amazonaws.com"),
                };
                lookups.AddRange(query.Regions.Select(r => new AuditLookup(r, key, value)));
                if (query.Filter != AuditFilterKind.None)
                    notes.Add("CloudTrail's lookup takes one attribute, so this filter shows events of every AWS service, not only KMS.");
                break;
        }
        return new AuditPlan(query, lookups, notes);
    }

    /// <summary>Up to <paramref name="maxPerRegion"/> newest events of each Region, merged newest first.</summary>
    public async Task<AuditSearchResult> SearchAsync(AuditQuery query, ClaimsPrincipal user, int maxPerRegion, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(query, user, cancellationToken);
        var tasks = plan.Lookups.GroupBy(l => l.Region, StringComparer.Ordinal).Select(async group =>
        {
            var events = new List<AuditEvent>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int pages = 0;
            var truncated = false;
            try
            {
                foreach (var lookup in group)
                {
                    await foreach (var page in clients.For(group.Key).LookupAllPagesAsync(lookup.ToRequest(query), cancellationToken))
                    {
                        pages++;
                        events.AddRange(page.Events.Select(e => CloudTrailRecordParser.Parse(e, group.Key)).Where(e => seen.Add(e.EventId)));
                        if (events.Count >= maxPerRegion && !string.IsNullOrEmpty(page.NextToken))
                        {
                            truncated = true;
                            break;
                        }
                    }
                }
                return (events, new AuditRegionOutcome(group.Key, events.Count, pages, truncated, null));
            }
            catch (AwsServiceException ex)
            {
                logger.LogWarning("Audit search in {Region} failed: {ErrorCode} {Message}", group.Key, ex.ErrorCode, ex.Message);
                return (events, new AuditRegionOutcome(group.Key, events.Count, pages, truncated, $"{ex.ErrorCode}: {ex.Message}"));
            }
        }).ToList();
        var results = await Task.WhenAll(tasks);
        var merged = results.SelectMany(r => r.events).OrderByDescending(e => e.EventTime).ThenBy(e => e.Region, StringComparer.Ordinal).ToList();
        return new AuditSearchResult(plan, merged, [.. results.Select(r => r.Item2)]);
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
        var producers = regions.Select(run => Task.Run(() => ReadRegionAsync(run, query, channel.Writer, stop.Token), stop.Token)).ToList();
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
        var result = new AuditExportResult(events, regions.Sum(r => r.Pages), !cancelled && outcomes.All(o => o.Error is null), outcomes, clock.Elapsed)
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

    private async Task ReadRegionAsync(RegionRun run, AuditQuery query, ChannelWriter<IReadOnlyList<AuditEvent>> output, CancellationToken cancellationToken)
    {
        // Only a Region searched with several ARNs (a drifted alias) can see one event twice.
        var seen = run.Lookups.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        try
        {
            foreach (var lookup in run.Lookups)
            {
                await foreach (var page in clients.For(run.Region).LookupAllPagesAsync(lookup.ToRequest(query), cancellationToken))
                {
                    var parsed = page.Events.Select(e => CloudTrailRecordParser.Parse(e, run.Region))
                        .Where(e => seen is null || seen.Add(e.EventId)).ToList();
                    run.Read(parsed);
                    if (parsed.Count > 0) await output.WriteAsync(parsed, cancellationToken);
                }
            }
            run.Done = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Error = "cancelled";
        }
        catch (AwsServiceException ex)
        {
            logger.LogWarning("Audit export in {Region} failed: {ErrorCode} {Message}", run.Region, ex.ErrorCode, ex.Message);
            run.Error = $"{ex.ErrorCode}: {ex.Message}";
        }
    }

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

        public void Read(IReadOnlyList<AuditEvent> page)
        {
            Interlocked.Increment(ref _pages);
            Interlocked.Add(ref _events, page.Count);
            if (page.Count > 0) Interlocked.Exchange(ref _oldestTicks, Math.Min(Interlocked.Read(ref _oldestTicks), page[^1].EventTime.UtcTicks));
        }

        public AuditRegionOutcome Outcome() => new(Region, Volatile.Read(ref _events), Pages, false, Error);
    }
}
