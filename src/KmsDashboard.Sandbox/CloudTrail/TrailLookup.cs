namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Runs a LookupEvents query over a Region's recorded and seeded events, newest first, one page at a time.</summary>
internal sealed class TrailLookup(TrailStore store, SeededHistory history)
{
    public sealed record Page(IReadOnlyList<TrailEvent> Events, LookupToken? Next);

    public Page Run(string region, LookupQuery query, DateTimeOffset now)
    {
        var fingerprint = query.Fingerprint(region);
        var cursor = query.NextToken is { } token ? LookupToken.Decode(token, fingerprint) : null;
        if (query.InsightsOnly) return new Page([], null);
        var horizon = now - CloudTrailLimits.Retention;
        var start = query.StartTime is { } s && s > horizon ? s : horizon;
        var end = query.EndTime ?? now;
        if (cursor is not null && cursor.Time < end) end = cursor.Time;
        var found = new List<TrailEvent>(query.MaxResults + 1);
        var bucket = new List<TrailEvent>();
        for (var hour = HourOf(end); hour >= HourOf(start) && found.Count <= query.MaxResults; hour--)
        {
            bucket.Clear();
            var hourStart = DateTimeOffset.UnixEpoch.AddHours(hour);
            history.AddEvents(region, hour, query, bucket);
            bucket.AddRange(store.Range(region, hourStart, hourStart.AddHours(1)));
            bucket.RemoveAll(e => e.Time < start || e.Time > end || !query.Matches(e)
                                  || (cursor is not null && !e.IsAfter(cursor.Time, cursor.EventId)));
            bucket.Sort(TrailEvent.CompareNewestFirst);
            found.AddRange(bucket.Take(query.MaxResults + 1 - found.Count));
        }
        if (found.Count <= query.MaxResults) return new Page(found, null);
        var page = found.GetRange(0, query.MaxResults);
        var last = page[^1];
        return new Page(page, new LookupToken(fingerprint, last.Time, last.EventId));
    }

    private static long HourOf(DateTimeOffset time) => (long)Math.Floor((time - DateTimeOffset.UnixEpoch).TotalHours);
}
