using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Who called a key's cryptographic operations, from CloudTrail (bounded per Region: LookupEvents allows two requests a
/// second), and which callers named the key id or ARN rather than an alias. The runbook's own calls are left out.
/// </summary>
internal static class KeyCallers
{
    private static readonly HashSet<string> Cryptographic = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "Sign", "Verify", "DeriveSharedSecret",
    };

    public sealed record Result(List<string> Direct, List<string> Callers, List<string> Notes);

    public static async Task<Result> ReadAsync(StepContext context, IReadOnlyDictionary<string, string> arns, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var own = context.PreviousCalls.Select(c => c.RequestId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var notes = new List<string>();
        var events = new List<AuditEvent>();
        foreach (var (region, arn) in arns.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var request = new LookupEventsRequest
            {
                LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.ResourceName, AttributeValue = arn }],
                StartTime = since.UtcDateTime, EndTime = context.Now.UtcDateTime, MaxResults = 50,
            };
            var read = 0;
            try
            {
                await foreach (var page in context.CloudTrail.For(region).LookupAllPagesAsync(request, cancellationToken))
                {
                    read += page.Events.Count;
                    events.AddRange(page.Events.Select(e => CloudTrailRecordParser.Parse(e, region))
                        .Where(e => Cryptographic.Contains(e.EventName) && e.Succeeded && !own.Contains(e.RequestId)));
                    if (read >= context.Options.MaxCloudTrailEventsPerRegion && !string.IsNullOrEmpty(page.NextToken))
                    {
                        notes.Add($"CloudTrail in {region}: only the newest {read} events were read.");
                        break;
                    }
                }
            }
            catch (AwsServiceException ex)
            {
                notes.Add($"CloudTrail in {region} could not be read ({ex.ErrorCode}): callers there are unknown.");
            }
        }
        var direct = new List<string>();
        var callers = new List<string>();
        foreach (var group in events.GroupBy(e => e.Actor).OrderByDescending(g => g.Count()))
        {
            var byKey = group.Where(e => e.RequestKeyId is { } k && !k.StartsWith("alias/", StringComparison.Ordinal)).ToList();
            var last = group.Max(e => e.EventTime);
            var regions = string.Join(", ", group.Select(e => e.Region).Distinct().Order(StringComparer.Ordinal));
            callers.Add($"{group.Key}: {group.Count()} calls in {regions} ({byKey.Count} naming the key id or ARN), last {last:yyyy-MM-dd HH:mm} UTC.");
            if (byKey.Count > 0)
                direct.Add($"{group.Key} names the key id or ARN directly ({byKey.Count} {string.Join("/", byKey.Select(e => e.EventName).Distinct())} calls in {regions}): it will not follow the alias.");
        }
        return new Result(direct, callers, notes);
    }
}
