using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Findings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// Whether some CloudTrail trail logs management events in each Region (KMS calls are management events): a trail seen
/// in the Region (homed there, or multi-Region) that is logging and whose event selectors include management events.
/// Regions are read in parallel; one that fails is reported with its error and the others are still read.
/// </summary>
public sealed class TrailCoverageReader(CloudTrailClients clients, ILogger<TrailCoverageReader>? logger = null) : ITrailCoverageReader
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<IReadOnlyList<TrailCoverage>> ReadAsync(IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var invalid = regions.Where(r => !BackendOptions.IsRegionName(r)).ToList();
        if (invalid.Count > 0) throw new ArgumentException($"Not AWS Region names: {string.Join(", ", invalid)}.", nameof(regions));
        return await Task.WhenAll(regions.Distinct(StringComparer.Ordinal).Select(r => ReadRegionAsync(r, cancellationToken)));
    }

    private async Task<TrailCoverage> ReadRegionAsync(string region, CancellationToken cancellationToken)
    {
        try
        {
            var client = clients.For(region);
            var trails = (await client.DescribeTrailsAsync(new DescribeTrailsRequest { IncludeShadowTrails = true }, cancellationToken)).TrailList;
            // The Region's own trails first: they answer by name as well as ARN, and are what an operator looks for first.
            foreach (var trail in trails.OrderBy(t => t.HomeRegion != region).ThenBy(t => t.Name, StringComparer.Ordinal))
            {
                if (trail.HomeRegion != region && trail.IsMultiRegionTrail != true) continue;
                var id = trail.TrailARN ?? trail.Name;
                if (id is null) continue;
                var status = await client.GetTrailStatusAsync(new GetTrailStatusRequest { Name = id }, cancellationToken);
                if (status.IsLogging != true) continue;
                if (trail.HasCustomEventSelectors == true
                    && !LogsManagementEvents(await client.GetEventSelectorsAsync(new GetEventSelectorsRequest { TrailName = id }, cancellationToken)))
                    continue;
                return new TrailCoverage(region, true, trail.Name, null);
            }
            return new TrailCoverage(region, false, null, null);
        }
        catch (AwsServiceException ex)
        {
            _logger.LogWarning("Trail coverage in {Region} could not be read: {ErrorCode} {Message}", region, ex.ErrorCode, ex.Message);
            return new TrailCoverage(region, false, null, $"{ex.ErrorCode}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Credentials that cannot be resolved and the like: still this Region's answer, not everyone's.
            _logger.LogWarning(ex, "Trail coverage in {Region} could not be read", region);
            return new TrailCoverage(region, false, null, ex.Message);
        }
    }

    /// <summary>Basic selectors: any with IncludeManagementEvents (true when absent). Advanced: any selecting eventCategory Management.</summary>
    internal static bool LogsManagementEvents(GetEventSelectorsResponse selectors) =>
        selectors.EventSelectors.Any(s => s.IncludeManagementEvents != false)
        || selectors.AdvancedEventSelectors.Any(a => a.FieldSelectors.Any(f =>
            f.Field == "eventCategory" && f.EqualTo.Contains("Management", StringComparer.Ordinal)));
}
