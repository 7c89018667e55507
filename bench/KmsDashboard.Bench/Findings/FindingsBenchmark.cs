using System.Diagnostics;
using KmsDashboard.Bench.Inventory;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Bench.Findings;

/// <summary>
/// Every findings check on the 10,000-key synthetic estate, from data already read (no AWS call): the snapshot plus
/// CloudWatch usage, CloudTrail callers, grants, buckets, Region health, drills and trail coverage made up for every key,
/// so no check is skipped. Prints <c>findings keys=&lt;n&gt; seconds=&lt;s&gt;</c> (the median of five evaluations after a warm-up).
/// </summary>
internal static class FindingsBenchmark
{
    public static Task RunAsync(string[] args)
    {
        var keys = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 10_000;
        var snapshot = SyntheticEstate.Snapshot(keys);
        var input = Input(snapshot);
        var engine = new FindingsEngine(new FindingsOptions());
        var warm = engine.Evaluate(input);
        var times = new List<double>();
        FindingsEvaluation last = warm;
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            last = engine.Evaluate(input);
            times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        var median = times.Order().ElementAt(times.Count / 2);
        var checks = last.Findings.Select(f => f.Check.Id).Distinct().Count();
        Console.WriteLine($"findings keys={snapshot.KeyCount} seconds={median:0.000} findings={last.Findings.Count} checks_with_findings={checks} " +
                          $"not_evaluated={last.NotEvaluated.Count} target_seconds=1 ratio_to_target={median / 1.0:0.00}");
        return Task.CompletedTask;
    }

    private static FindingsInput Input(InventorySnapshot snapshot)
    {
        var now = DateTimeOffset.UtcNow;
        var keys = snapshot.CustomerKeys.ToList();
        var usage = new Dictionary<string, KeyUsageFacts>(StringComparer.Ordinal);
        var tallies = new List<TrailCallTally>();
        var grants = new Dictionary<KeyRef, IReadOnlyList<KeyGrant>>();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            usage[key.Arn] = i % 7 == 0
                ? new KeyUsageFacts(now.AddDays(-120), new Dictionary<string, double>())
                : new KeyUsageFacts(now.AddDays(-1), new Dictionary<string, double> { ["Encrypt"] = 60_000 + i, ["Decrypt"] = 90_000, ["GenerateDataKey"] = i % 3 == 0 ? 100_000 : 1_000 });
            tallies.Add(new TrailCallTally(key.Region, key.KeyId, $"arn:aws:iam::111122223333:role/app-{(i % 5 == 0 ? "staging" : "prod")}-{i % 40}", 50, i % 4 == 0 ? 10 : 0,
                i % 4 == 0 ? key.Arn : null, i % 2 == 0 ? 50 : 5, ["00000000-0000-0000-0000-000000000001"], now.AddHours(-2)));
            grants[key.Ref] = [new KeyGrant { Region = key.Region, KeyArn = key.Arn, GrantId = $"g-{i}", GranteePrincipal = "arn:aws:iam::111122223333:role/worker", Operations = ["Decrypt", "GenerateDataKey"] }];
        }
        var buckets = keys.Where((_, i) => i % 25 == 0).Select((k, i) => new BucketFacts
        {
            Name = $"bucket-{i}",
            Region = k.Region,
            Encryption = new BucketDefaultEncryption("aws:kms", k.Aliases.FirstOrDefault() ?? k.KeyId, true),
            ReplicationRules = [new ReplicationRuleFacts($"rule-{i}", "Enabled", $"bucket-{(i + 1) % 400}", null, true)],
            ReadAt = now,
        }).ToList();
        return new FindingsInput
        {
            Snapshot = snapshot,
            Now = now,
            Buckets = new BucketCatalogSnapshot(buckets, now),
            RegionHealth = [.. snapshot.Regions.Select((r, i) => new RegionStatus(r, i == 1 ? RegionReachability.Unreachable : RegionReachability.Reachable, LastError: i == 1 ? "No answer" : null))],
            Usage = new UsageFacts(usage, new Dictionary<string, string>(), now),
            Trail = new TrailFacts(tallies, new Dictionary<string, string>(), now.AddDays(-1), now),
            LastDrills = snapshot.KeySets.Where((_, i) => i % 2 == 0).ToDictionary(s => s.KeyId, _ => now.AddDays(-200)),
            TrailCoverage = [.. snapshot.Regions.Select((r, i) => new TrailCoverage(r, i % 4 != 0, "org-trail", null))],
            Grants = grants,
            IncidentRotations = new Dictionary<string, KeyRotationHistory>(),
        };
    }
}
