namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// The demo account's background traffic: for each demo key and Region a profile (busy keys, quiet keys, an idle key,
/// keys whose traffic stopped, a spike), turned into per-minute request counts by a deterministic model — daily and
/// weekly cycles in each Region's local time plus per-minute noise — for 90 days before the sandbox started and for
/// as long as it runs. Counts are computed when asked for, so moving the sandbox clock forward brings new traffic.
/// </summary>
internal sealed class TrafficGenerator : IMetricSource
{
    public static readonly TimeSpan History = TimeSpan.FromDays(90);

    private readonly Func<DateTimeOffset> _now;
    private readonly Dictionary<MetricSeriesId, (TrafficProfile Profile, double Share, ulong Seed)[]> _series = [];
    private readonly Dictionary<string, List<MetricSeriesId>> _byRegion = new(StringComparer.Ordinal);

    public TrafficGenerator(IEnumerable<TrafficKey> keys, DateTimeOffset anchor, Func<DateTimeOffset> now)
    {
        _now = now;
        Anchor = anchor;
        Profiles = [.. keys.Select(k => ProfileFor(k, anchor)).OfType<TrafficProfile>()];
        var usage = new Dictionary<MetricSeriesId, List<(TrafficProfile, double, ulong)>>();
        foreach (var profile in Profiles)
        {
            foreach (var (operation, share) in profile.Operations)
            {
                var seed = Seed(profile.Key.Arn + "|" + operation);
                var perKey = new MetricSeriesId(profile.Key.Region, "AWS/KMS", "SuccessfulRequest",
                    [new("KeyArn", profile.Key.Arn), new("Operation", operation)]);
                Add(perKey, [(profile, share, seed)]);
                var resource = KmsUsageResource.For(operation, profile.Key.Aliases.Contains("alias/device-attestation") || profile.Key.Aliases.Contains("alias/payouts-signing") ? "ECDSA_SHA_256" : null);
                var callCount = new MetricSeriesId(profile.Key.Region, "AWS/Usage", "CallCount", KmsUsageResource.Dimensions(resource));
                if (!usage.TryGetValue(callCount, out var parts)) usage[callCount] = parts = [];
                parts.Add((profile, share, seed));
            }
        }
        foreach (var (id, parts) in usage) Add(id, [.. parts]);
    }

    /// <summary>When the generator was made (the sandbox's start); history runs 90 days before it.</summary>
    public DateTimeOffset Anchor { get; }

    public IReadOnlyList<TrafficProfile> Profiles { get; }

    public IEnumerable<MetricSeriesId> SeriesIn(string region) => _byRegion.TryGetValue(region, out var list) ? list : [];

    public void Accumulate(MetricSeriesId series, long fromMinute, long toMinute, long originSeconds, int periodSeconds, MinuteStats[] buckets)
    {
        if (!_series.TryGetValue(series, out var parts)) return;
        var (first, last) = Window(fromMinute, toMinute);
        for (var hourStart = first - Mod(first, 60); hourStart < last; hourStart += 60)
        {
            var hour = DateTimeOffset.FromUnixTimeSeconds(hourStart * 60);
            var from = Math.Max(first, hourStart);
            var to = Math.Min(last, hourStart + 60);
            foreach (var (profile, share, seed) in parts)
            {
                var rate = profile.RateAt(hour) * share;
                if (rate <= 0) continue;
                var (activeFrom, activeTo) = ActiveMinutes(profile);
                for (var minute = Math.Max(from, activeFrom); minute < Math.Min(to, activeTo); minute++)
                {
                    var count = Count(rate, seed, minute);
                    if (count == 0) continue;
                    var index = (minute * 60 - originSeconds) / periodSeconds;
                    if (index >= 0 && index < buckets.Length) buckets[index] = buckets[index].Add(MinuteStats.Requests(count));
                }
            }
        }
    }

    public long? LastMinuteWithData(MetricSeriesId series, long toMinute)
    {
        if (!_series.TryGetValue(series, out var parts)) return null;
        var (first, last) = Window(long.MinValue / 2, toMinute);
        long? latest = null;
        foreach (var (profile, share, seed) in parts)
        {
            var (activeFrom, activeTo) = ActiveMinutes(profile);
            // Scan back minute by minute from the end of the profile's activity: quiet keys are found within days.
            for (var minute = Math.Min(last, activeTo) - 1; minute >= Math.Max(first, activeFrom) && minute > (latest ?? long.MinValue); minute--)
            {
                var rate = profile.RateAt(DateTimeOffset.FromUnixTimeSeconds((minute - Mod(minute, 60)) * 60)) * share;
                if (rate > 0 && Count(rate, seed, minute) > 0)
                {
                    latest = minute;
                    break;
                }
            }
        }
        return latest;
    }

    /// <summary>
    /// The latest minute up to <paramref name="now"/> in which the model used the key <paramref name="arn"/>, with the
    /// operation: what GetKeyLastUsage reports for the demo traffic, so it agrees with SuccessfulRequest.
    /// </summary>
    public (string Operation, DateTimeOffset Time)? LastUse(string region, string arn, DateTimeOffset now)
    {
        var toMinute = now.ToUnixTimeSeconds() / 60 + 1;
        (string Operation, long Minute)? best = null;
        foreach (var series in SeriesIn(region))
        {
            if (series.Namespace != "AWS/KMS" || !series.Dimensions.Any(d => d.Key == "KeyArn" && d.Value == arn)) continue;
            if (LastMinuteWithData(series, toMinute) is not { } minute || (best is { } b && b.Minute >= minute)) continue;
            best = (series.Dimensions.First(d => d.Key == "Operation").Value, minute);
        }
        if (best is not { } found) return null;
        // A second within the minute, from the same hash as the counts, never past now.
        var second = (long)(Mix(Seed(arn) ^ (ulong)found.Minute) % 60);
        var time = DateTimeOffset.FromUnixTimeSeconds(found.Minute * 60 + second);
        return (found.Operation, time > now ? now : time);
    }

    private (long First, long Last) Window(long fromMinute, long toMinute)
    {
        var historyStart = (Anchor - History).ToUnixTimeSeconds() / 60;
        var now = _now().ToUnixTimeSeconds() / 60;
        return (Math.Max(fromMinute, historyStart), Math.Min(toMinute, now));
    }

    private static (long From, long To) ActiveMinutes(TrafficProfile profile) =>
        (profile.From.ToUnixTimeSeconds() / 60, profile.Until == DateTimeOffset.MaxValue ? long.MaxValue : profile.Until.ToUnixTimeSeconds() / 60);

    /// <summary>floor(rate + u) with u uniform in [0, 1) from a hash of the series and minute: on average exactly the rate.</summary>
    private static int Count(double rate, ulong seed, long minute)
    {
        var u = (Mix(seed ^ (ulong)minute * 0x9E3779B97F4A7C15UL) >> 11) * (1.0 / (1UL << 53));
        return (int)Math.Floor(rate + u);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Seed(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    private static long Mod(long value, long by) => ((value % by) + by) % by;

    private void Add(MetricSeriesId id, (TrafficProfile, double, ulong)[] parts)
    {
        _series[id] = parts;
        if (!_byRegion.TryGetValue(id.Region, out var list)) _byRegion[id.Region] = list = [];
        list.Add(id);
    }

    /// <summary>The demo accounts' traffic, by alias and Region; keys made after the sandbox started get none.</summary>
    internal static TrafficProfile? ProfileFor(TrafficKey key, DateTimeOffset anchor)
    {
        if (key.CreationDate > anchor.AddDays(-1)) return null;
        var alias = key.Aliases.FirstOrDefault(a => !a.StartsWith("alias/aws/", StringComparison.Ordinal))
                    ?? key.Aliases.FirstOrDefault() ?? "";
        var from = key.CreationDate;
        var forever = DateTimeOffset.MaxValue;
        // Keys that are not Enabled stopped being used some time ago.
        var stopped = key.KeyState == "Enabled" ? forever : anchor.AddDays(-40);
        (string, double)[] envelope = [("Decrypt", 0.6), ("GenerateDataKey", 0.3), ("Encrypt", 0.1)];
        TrafficProfile P(double peak, (string, double)[] ops, bool office = false, DateTimeOffset? until = null,
            params (DateTimeOffset, TimeSpan, double)[] spikes) =>
            new(key, peak, ops, office, from, until ?? stopped, spikes);

        if (key.AwsManaged)
        {
            var service = alias.Length > "alias/aws/".Length ? alias["alias/aws/".Length..] : "";
            var peak = service switch { "s3" => 3.0, "ebs" => 1.5, "rds" => 1.0, "lambda" => 0.5, "secretsmanager" => 0.4, _ => 0.2 };
            return P(peak, [("Decrypt", 0.6), ("GenerateDataKey", 0.4)]);
        }
        return (alias, key.Region) switch
        {
            ("alias/payments-prod", var r) => P(r switch { "us-east-1" => 40, "eu-west-1" => 24, "us-west-2" => 18, _ => 8 }, envelope),
            // The orders database had an incident nine days before the sandbox started: a retry storm, twelve times the traffic.
            ("alias/orders-db", "eu-west-1") => P(22, [("Decrypt", 0.7), ("Encrypt", 0.2), ("GenerateDataKey", 0.1)], office: true,
                spikes: (anchor.Date.AddDays(-9).AddHours(13), TimeSpan.FromHours(3), 12)),
            ("alias/orders-db", _) => P(6, [("Decrypt", 0.7), ("Encrypt", 0.2), ("GenerateDataKey", 0.1)], office: true),
            ("alias/customer-pii", _) => P(6, [("Decrypt", 0.8), ("Encrypt", 0.2)]),
            ("alias/analytics-signing", _) => P(10, [("GenerateMac", 0.7), ("VerifyMac", 0.3)]),
            // alias/app-config in eu-west-1 is the demo's idle key: enabled, billed, never called.
            ("alias/app-config", "eu-west-1") => null,
            ("alias/app-config", _) => P(0.8, [("Decrypt", 1.0)]),
            ("alias/release-signing", _) => P(0.05, [("Sign", 1.0)], office: true),
            ("alias/terraform-state", _) => P(0.3, [("Decrypt", 0.5), ("GenerateDataKey", 0.5)], office: true),
            ("alias/ci-artifacts", _) => P(4, [("GenerateDataKey", 0.6), ("Decrypt", 0.4)], office: true),
            ("alias/device-attestation", _) => P(2, [("Sign", 1.0)]),
            ("alias/legacy-billing", _) => P(5, envelope, office: true, until: anchor.AddDays(-120)),
            // Scheduled for deletion three days ago, yet the quarterly report job still decrypts with it until the day before.
            ("alias/old-reports", _) => P(0.5, [("Decrypt", 1.0)], office: true, until: anchor.AddHours(-30)),
            ("alias/batch-archive", _) => P(1.5, [("Encrypt", 0.9), ("Decrypt", 0.1)], until: anchor.AddDays(-100)),
            // The payments member account.
            ("alias/card-vault", var r) => P(r switch { "us-east-1" => 30, "eu-west-1" => 12, _ => 6 }, envelope),
            ("alias/settlement-ledger", _) => P(8, [("Decrypt", 0.5), ("Encrypt", 0.5)], office: true),
            ("alias/fraud-scoring", _) => P(15, [("Decrypt", 0.9), ("GenerateDataKey", 0.1)]),
            ("alias/payouts-signing", _) => P(1, [("Sign", 0.7), ("Verify", 0.3)], office: true),
            ("alias/merchant-exports", _) => P(0.6, [("GenerateDataKey", 0.7), ("Decrypt", 0.3)], office: true),
            ("alias/card-sandbox", _) => P(2, envelope, until: anchor.AddDays(-60)),
            // A key with no alias made for a migration: busy for a day and a half after it was made, then silent.
            ("", _) when key.CreationDate > anchor.AddDays(-30) => P(25, [("Decrypt", 0.5), ("Encrypt", 0.5)], until: key.CreationDate.AddHours(36)),
            _ => null,
        };
    }
}
