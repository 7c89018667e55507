using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>
/// CloudTrail allows two LookupEvents requests per second per account and Region. One limiter is shared by every
/// user of the app: each request, retries included, takes the next free slot of its account and Region (<see cref="Key"/>),
/// slots spaced a little more than half a second apart so that no wall-clock second ever sees three. With <paramref name="shared"/> (a cluster),
/// the slots are taken from the store every instance shares; if the store cannot be reached, this process paces alone.
/// </summary>
public sealed class CloudTrailRateLimiter(TimeProvider? time = null, ICloudTrailPacing? shared = null, ILogger? logger = null)
{
    /// <summary>CloudTrail's documented limit.</summary>
    public const int RequestsPerSecond = 2;

    /// <summary>
    /// Spacing between requests of one Region: 500 ms plus a margin for jitter on the way. A client's first request
    /// (a new connection) can arrive 100 ms late and bunch with the next two in one second: 6 % was too little.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1000.0 / RequestsPerSecond * 1.2);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, RegionSlots> _regions = new(StringComparer.Ordinal);

    /// <summary>
    /// The slots' key: the Region for the dashboard's own credentials (<paramref name="account"/> ""), "account:Region" for an
    /// account read through its role, so that two accounts never wait for each other's slots and one account never gets more.
    /// </summary>
    public static string Key(string account, string region) => string.IsNullOrEmpty(account) ? region : $"{account}:{region}";

    /// <summary>Waits for the next slot of <paramref name="region"/> in <paramref name="account"/> ("" the dashboard's own).</summary>
    public Task WaitAsync(string account, string region, CancellationToken cancellationToken) => WaitAsync(Key(account, region), cancellationToken);

    /// <summary>Waits for the next slot of <paramref name="region"/> (a <see cref="Key"/>). Cancelling gives the slot up to nobody (it simply passes).</summary>
    public async Task WaitAsync(string region, CancellationToken cancellationToken)
    {
        var slots = _regions.GetOrAdd(region, _ => new RegionSlots());
        if (shared is not null)
        {
            TimeSpan? reserved = null;
            try
            {
                reserved = await shared.ReserveAsync(region, Interval, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger?.LogWarning("CloudTrail pacing: the shared slots could not be read ({Reason}); pacing {Region} in this process only", ex.Message, region);
            }
            if (reserved is { } sharedWait)
            {
                // Kept here too, so that Backlog reflects this instance's own queue.
                lock (slots)
                {
                    var next = _time.GetUtcNow() + sharedWait + Interval;
                    if (next > slots.Next) slots.Next = next;
                }
                if (sharedWait > TimeSpan.Zero) await Task.Delay(sharedWait, _time, cancellationToken);
                return;
            }
        }
        DateTimeOffset slot;
        lock (slots)
        {
            var now = _time.GetUtcNow();
            slot = slots.Next > now ? slots.Next : now;
            slots.Next = slot + Interval;
        }
        var wait = slot - _time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken);
    }

    /// <summary>How long a request asked for now in <paramref name="region"/> would wait for its slot.</summary>
    public TimeSpan Backlog(string region)
    {
        if (!_regions.TryGetValue(region, out var slots)) return TimeSpan.Zero;
        lock (slots)
        {
            var wait = slots.Next - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    private sealed class RegionSlots
    {
        public DateTimeOffset Next = DateTimeOffset.MinValue;
    }
}
