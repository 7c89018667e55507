using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;

namespace KmsDashboard.Core.Actions;

/// <summary>The fresh reads a plan makes. Not-found answers become null; every other failure is thrown to the planner.</summary>
internal sealed class KmsReader(AwsClients clients)
{
    public async Task<KeyFacts?> DescribeAsync(string region, string keyId, CancellationToken ct)
    {
        try
        {
            var response = await clients.Kms(region).DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, ct);
            return KeyFacts.From(region, response.KeyMetadata);
        }
        catch (AmazonKeyManagementServiceException ex) when (ex.ErrorCode == "NotFoundException")
        {
            return null;
        }
    }

    /// <summary>Every alias in the Region with its target (ListAliases, all pages).</summary>
    public async Task<IReadOnlyList<(string Name, string? TargetKeyId)>> AliasesAsync(string region, CancellationToken ct)
    {
        var all = new List<(string, string?)>();
        string? marker = null;
        do
        {
            var page = await clients.Kms(region).ListAliasesAsync(new ListAliasesRequest { Limit = 100, Marker = marker }, ct);
            all.AddRange((page.Aliases ?? []).Select(a => (a.AliasName ?? "", (string?)a.TargetKeyId)));
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return all;
    }

    public async Task<IReadOnlyDictionary<string, string>> TagsAsync(string region, string keyId, CancellationToken ct)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = await clients.Kms(region).ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyId, Marker = marker }, ct);
            foreach (var tag in page.Tags ?? []) tags[tag.TagKey] = tag.TagValue ?? "";
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return tags;
    }

    public async Task<string> PolicyAsync(string region, string keyId, CancellationToken ct) =>
        (await clients.Kms(region).GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = keyId, PolicyName = "default" }, ct)).Policy ?? "";

    public async Task<(bool Enabled, int? PeriodDays, DateTimeOffset? Next)> RotationStatusAsync(string region, string keyId, CancellationToken ct)
    {
        var r = await clients.Kms(region).GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId }, ct);
        return (r.KeyRotationEnabled ?? false, r.RotationPeriodInDays, r.NextRotationDate is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null);
    }

    /// <summary>How many rotations the key has had in all, and how many of them were on demand (ListKeyRotations).</summary>
    public async Task<(int Total, int OnDemand)> RotationCountsAsync(string region, string keyId, CancellationToken ct)
    {
        int total = 0, onDemand = 0;
        string? marker = null;
        do
        {
            var page = await clients.Kms(region).ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId, Limit = 1000, Marker = marker }, ct);
            total += page.Rotations?.Count ?? 0;
            onDemand += (page.Rotations ?? []).Count(r => r.RotationType?.Value == "ON_DEMAND");
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return (total, onDemand);
    }

    /// <summary>When the key's on-demand rotations happened (ListKeyRotations, all pages), UTC.</summary>
    public async Task<IReadOnlyList<DateTime>> OnDemandRotationDatesAsync(string region, string keyId, CancellationToken ct)
    {
        var dates = new List<DateTime>();
        string? marker = null;
        do
        {
            var page = await clients.Kms(region).ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId, Limit = 1000, Marker = marker }, ct);
            dates.AddRange((page.Rotations ?? []).Where(r => r.RotationType?.Value == "ON_DEMAND" && r.RotationDate is not null)
                .Select(r => DateTime.SpecifyKind(r.RotationDate!.Value, DateTimeKind.Utc)));
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return dates;
    }

    /// <summary>The key's last recorded use in the Region, or a reason it is unknown. Best effort: never fails a plan.</summary>
    public async Task<string> LastUseAsync(string region, string keyId, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var r = await clients.Kms(region).GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = keyId }, ct);
            if (r.KeyLastUsage?.Timestamp is { } at)
            {
                var when = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
                return $"Last used in {region}: {r.KeyLastUsage.Operation} on {when:yyyy-MM-dd HH:mm} UTC ({Ago(now - when)}).";
            }
            return r.TrackingStartDate is { } since
                ? $"No recorded use in {region} since tracking began on {since:yyyy-MM-dd}."
                : $"No recorded use in {region}.";
        }
        catch (Exception ex) when (ex is AmazonKeyManagementServiceException or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            return $"Last use in {region} could not be read ({ex.Message}).";
        }
    }

    private static string Ago(TimeSpan span) => span.TotalDays >= 1 ? $"{(int)span.TotalDays} days ago"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} hours ago" : $"{Math.Max(0, (int)span.TotalMinutes)} minutes ago";
}
