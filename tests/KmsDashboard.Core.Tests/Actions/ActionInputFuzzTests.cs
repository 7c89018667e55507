using System.Text;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>
/// Over a thousand generated invalid requests (alias names, windows, periods, Regions, ARNs, tags, descriptions,
/// confirmation strings) through <see cref="KeyOperations"/>: each gets a message, and not one AWS call reaches the
/// sandbox — counted in its CloudTrail, Region by Region, and in its call log.
/// </summary>
public sealed class ActionInputFuzzTests
{
    private const string Account = "111122223333";
    private static readonly string[] Configured = ActionsHarness.Regions;

    private sealed record Case(string What, KeyActionRequest Request);

    [Fact]
    public async Task AThousandGeneratedInvalidRequestsEachGetAMessageAndNoCallReachesTheSandbox()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2"], alias: "alias/fuzz");
        var single = await h.CreateSingleRegionKeyAsync();
        await h.Inventory.RefreshAsync(default); // the backend's account becomes known from the ARNs read
        var destructive = await h.Operations.PlanAsync(Admin, new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        Assert.True(destructive.CanExecute);
        var trailBefore = await KmsEventsAsync(h);
        h.Sent.Clear();

        var cases = Generate(new Random(1301), keyId, single).ToList();
        var silent = new List<string>();
        foreach (var c in cases)
        {
            var plan = await h.Operations.PlanAsync(Admin, c.Request, default);
            if (plan.Status != PlanStatus.Invalid || plan.Problems.Count == 0 || plan.Problems.Any(string.IsNullOrWhiteSpace))
                silent.Add($"{c.What}: {plan.Status} {string.Join(" | ", plan.Problems)}");
        }
        var confirmations = BadConfirmations(new Random(1302), keyId).ToList();
        foreach (var typed in confirmations)
        {
            var result = await h.Operations.ExecuteAsync(Admin, destructive, typed, default);
            if (result.Outcome != ActionOutcome.Refused || string.IsNullOrWhiteSpace(result.Summary)) silent.Add($"confirmation '{typed}': {result.Outcome}");
        }

        Assert.True(cases.Count + confirmations.Count >= 1000, $"{cases.Count + confirmations.Count} requests");
        Assert.Empty(silent);
        Assert.Empty(h.Sent);
        Assert.Equal(trailBefore, await KmsEventsAsync(h));
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
    }

    /// <summary>KMS events in each Region's CloudTrail (LookupEvents, every page).</summary>
    private static async Task<Dictionary<string, int>> KmsEventsAsync(ActionsHarness h)
    {
        var clients = h.Services.GetRequiredService<AwsClients>();
        var limiter = new CloudTrailRateLimiter();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var region in Configured)
        {
            var client = new CloudTrailClient(clients, region, limiter);
            var request = new LookupEventsRequest
            {
                LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventSource, AttributeValue = "kms.amazonaws.com" }],
                StartTime = h.Clock.UtcNow.AddDays(-1).UtcDateTime, EndTime = h.Clock.UtcNow.AddDays(1).UtcDateTime, MaxResults = 50,
            };
            var n = 0;
            await foreach (var page in client.LookupAllPagesAsync(request)) n += page.Events.Count;
            counts[region] = n;
        }
        Assert.True(counts.Values.Sum() > 0, "the set-up calls are in CloudTrail, so a call during the fuzz would be too");
        return counts;
    }

    private static IEnumerable<Case> Generate(Random rng, string keyId, string single)
    {
        const string region = "us-east-1";
        var arn = $"arn:aws:kms:{region}:{Account}:key/{keyId}";

        // Alias names, through every action that takes one.
        foreach (var alias in BadAliases(rng))
        {
            yield return new($"create alias '{alias}'", new CreateAliasRequest { KeyId = keyId, Region = region, AliasName = alias });
            yield return new($"re-point alias '{alias}'", new UpdateAliasRequest { KeyId = keyId, Region = region, AliasName = alias });
            yield return new($"delete alias '{alias}'", new DeleteAliasRequest { KeyId = keyId, Region = region, AliasName = alias });
            yield return new($"align alias '{alias}'", new AlignAliasRequest { KeyId = keyId, Region = region, AliasName = alias });
        }

        // Deletion windows and rotation periods out of range.
        foreach (var days in OutOf(rng, KeyInputRules.MinPendingWindowDays, KeyInputRules.MaxPendingWindowDays))
            yield return new($"window {days}", new ScheduleDeletionRequest { KeyId = keyId, Region = region, PendingWindowInDays = days });
        foreach (var days in OutOf(rng, KeyInputRules.MinRotationPeriodDays, KeyInputRules.MaxRotationPeriodDays))
            yield return new($"period {days}", new EnableRotationRequest { KeyId = keyId, Region = region, RotationPeriodInDays = days });

        // Regions: the key's own, and every list of Regions an action takes.
        foreach (var bad in BadRegions(rng))
        {
            // The key's own Region is trimmed (a pasted "us-east-1 " names us-east-1); lists of Regions are not.
            if (!Configured.Contains(bad.Trim())) yield return new($"key Region '{bad}'", new EnableKeyRequest { KeyId = keyId, Region = bad });
            yield return new($"replicate to '{bad}'", new ReplicateKeyRequest { KeyId = keyId, Region = region, TargetRegions = [bad] });
            yield return new($"new primary '{bad}'", new ChangePrimaryRegionRequest { KeyId = keyId, Region = region, NewPrimaryRegion = bad });
            yield return new($"also schedule '{bad}'", new ScheduleDeletionRequest { KeyId = keyId, Region = region, AlsoScheduleReplicasIn = [bad] });
            yield return new($"align in '{bad}'", new AlignAliasRequest { KeyId = keyId, Region = region, AliasName = "alias/fuzz", Regions = [bad] });
            yield return new($"copy to '{bad}'", new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = region, Regions = [bad] });
        }
        yield return new("replicate to no Region", new ReplicateKeyRequest { KeyId = keyId, Region = region, TargetRegions = [] });
        yield return new("replicate to a Region twice", new ReplicateKeyRequest { KeyId = keyId, Region = region, TargetRegions = ["eu-west-1", "eu-west-1"] });
        yield return new("copy to no Region", new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = region, Regions = [] });
        yield return new("copy nothing", new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = region, CopyTags = false, CopyDescription = false });
        yield return new("multi-Region action on a single-Region key", new ReplicateKeyRequest { KeyId = single, Region = region, TargetRegions = ["eu-west-1"] });

        // Key ids and ARNs: one part wrong at a time.
        foreach (var id in BadKeyIds(rng, arn, keyId))
        {
            yield return new($"describe-free edit of '{id}'", new EditDescriptionRequest { KeyId = id, Region = "", Description = "x" });
            yield return new($"disable '{id}'", new DisableKeyRequest { KeyId = id, Region = "" });
        }

        // Tags, through both actions that set them.
        foreach (var tags in BadTags(rng))
        {
            var what = string.Join(", ", tags.Select(t => $"{Show(t.Key)}={Show(t.Value)}"));
            yield return new($"tags {what}", new EditTagsRequest { KeyId = keyId, Region = region, Tags = tags });
            yield return new($"replica tags {what}", new ReplicateKeyRequest { KeyId = keyId, Region = region, TargetRegions = ["eu-west-1"], Tags = tags });
        }

        // Descriptions too long.
        for (var i = 0; i < 20; i++)
        {
            var description = new string('d', KeyInputRules.MaxDescriptionLength + 1 + rng.Next(0, 5000));
            yield return new($"description of {description.Length}", new EditDescriptionRequest { KeyId = keyId, Region = region, Description = description });
            yield return new($"replica description of {description.Length}", new ReplicateKeyRequest { KeyId = keyId, Region = region, TargetRegions = ["eu-west-1"], Description = description });
        }
    }

    private static IEnumerable<string> BadAliases(Random rng)
    {
        string[] fixedOnes = ["", " ", "payments", "alias", "alias/", "ALIAS/x", "alias/aws/s3", "alias/AWS/kms", "alias/pay ments", "alias/ümlaut",
            "alias/x\n", "alias/x\t", "alias/a*b", "alias/a.b", "alias/a@b", "alias/a=b", "alias/" + new string('a', 251), "/alias/x", "alias//\u0000"];
        foreach (var a in fixedOnes) yield return a;
        const string valid = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/_-";
        const string invalid = " .*@=+!#$%&()[]{}<>?,;'\"\\|~`^\t\né€😀";
        for (var i = 0; i < 60; i++)
        {
            var name = new StringBuilder();
            for (var j = rng.Next(1, 30); j > 0; j--) name.Append(valid[rng.Next(valid.Length)]);
            var bad = char.IsSurrogate(invalid[rng.Next(invalid.Length)]) ? "😀" : invalid[rng.Next(invalid.Length)].ToString();
            name.Insert(rng.Next(name.Length + 1), bad);
            yield return "alias/" + name;
        }
    }

    private static IEnumerable<int> OutOf(Random rng, int min, int max)
    {
        int[] edges = [min - 1, max + 1, 0, -1, -min, int.MinValue, int.MaxValue, min * 100, max * 2];
        foreach (var e in edges) yield return e;
        for (var i = 0; i < 60; i++) yield return i % 2 == 0 ? rng.Next(int.MinValue, min) : rng.Next(max + 1, int.MaxValue);
    }

    private static IEnumerable<string> BadRegions(Random rng)
    {
        string[] fixedOnes = ["moon-1", "US-EAST-1", "us-east-1 ", " us-east-1", "us-east-1\n", "useast1", "us_east_1", "ap-south-2", "cn-north-1",
            "us-gov-west-1", "eu-west-1,us-west-2", "us-east-01a", "*"];
        foreach (var r in fixedOnes) yield return r;
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        for (var i = 0; i < 40; i++)
        {
            var candidate = i % 2 == 0
                ? $"{letters[rng.Next(26)]}{letters[rng.Next(26)]}-{new string(Enumerable.Range(0, rng.Next(3, 9)).Select(_ => letters[rng.Next(26)]).ToArray())}-{rng.Next(1, 20)}"
                : new string(Enumerable.Range(0, rng.Next(1, 15)).Select(_ => (char)rng.Next(33, 127)).ToArray());
            if (!Configured.Contains(candidate)) yield return candidate;
        }
    }

    private static IEnumerable<string> BadKeyIds(Random rng, string arn, string keyId)
    {
        var tail = arn["arn:aws:kms:us-east-1:".Length..];
        string[] fixedOnes =
        [
            "", "mrk-123", "MRK-" + keyId[4..], keyId.ToUpperInvariant(), keyId + "0", "alias/fuzz", "1234abcd-12ab-34cd-56ef-1234567890",
            arn.Replace("arn:aws:", "arn:aws-cn:"), arn.Replace("arn:aws:", "arn:aws-us-gov:"), arn.Replace("arn:aws:", "arn::"),
            arn.Replace(":kms:", ":s3:"), arn.Replace(":kms:", "::"), arn.Replace("us-east-1", "ap-south-2"), arn.Replace("us-east-1", "moon-1"),
            arn.Replace("us-east-1", ""), arn.Replace(Account, "999999999999"), arn.Replace(Account, "11112222333"), arn.Replace(Account, "1111222233334"),
            arn.Replace(Account, "11112222333x"), arn.Replace(Account, ""), arn.Replace("key/", "alias/"), arn.Replace("key/", "key:"),
            arn.Replace("key/", "keys/"), arn.Replace("key/", ""), arn + "/extra", arn + "\nx", arn.Replace(keyId, "mrk-123"), arn.Replace(keyId, ""),
            arn.Replace(keyId, arn), "arn:aws:kms:us-east-1:" + tail.Replace(":key/", "::key/"), "arn:aws:kms", "arn:",
            $"arn:aws:kms:cn-north-1:{Account}:key/{keyId}", $"arn:aws-cn:kms:us-west-2:{Account}:key/{keyId}",
        ];
        foreach (var id in fixedOnes) yield return id;
        for (var i = 0; i < 40; i++)
        {
            // Another 12-digit account than the backend's: well formed, and still refused.
            var account = string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('0' + rng.Next(10))));
            if (account != Account) yield return arn.Replace(Account, account);
        }
    }

    private static IEnumerable<Dictionary<string, string>> BadTags(Random rng)
    {
        Dictionary<string, string> Ok() => new(StringComparer.Ordinal) { ["Team"] = "payments" };
        Dictionary<string, string> With(string key, string value) { var t = Ok(); t[key] = value; return t; }
        yield return With("aws:owner", "x");
        yield return With("AWS:Owner", "x");
        yield return With("", "x");
        yield return With(" ", "x");
        yield return With(new string('k', 129), "x");
        yield return With("Owner", new string('v', 257));
        yield return new(Enumerable.Range(0, 51).Select(i => KeyValuePair.Create($"k{i}", "v")), StringComparer.Ordinal);
        const string invalid = "#$%&*!?<>\"'`~^|\\;,()[]{}\t\n\r\u0000\u0007😀™©";
        for (var i = 0; i < 60; i++)
        {
            var bad = invalid[rng.Next(invalid.Length)];
            var text = char.IsSurrogate(bad) ? "😀" : bad.ToString();
            var word = "cost" + text + "center";
            yield return i % 2 == 0 ? With(word, "CC-1001") : With("CostCenter", word);
        }
    }

    private static IEnumerable<string> BadConfirmations(Random rng, string keyId)
    {
        string[] fixedOnes = ["", " ", keyId.ToUpperInvariant(), keyId[..^1], keyId + " x", "alias/fuz", "fuzz2", "alias/fuzz/", "mrk-", "*", "yes", "DELETE"];
        foreach (var t in fixedOnes) yield return t;
        for (var i = 0; i < 40; i++)
            yield return new string(Enumerable.Range(0, rng.Next(1, 40)).Select(_ => (char)rng.Next(32, 127)).ToArray());
    }

    private static string Show(string text) => text.Length > 24 ? text[..24] + "…" : text;
}
