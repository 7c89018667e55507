using System.Text.Json;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>The Regions' map positions, read once from the embedded copy of aws-regions.json.</summary>
public static class RegionLocations
{
    private static readonly Lazy<IReadOnlyDictionary<string, RegionLocation>> All = new(Load);

    public static RegionLocation? Find(string region) => All.Value.GetValueOrDefault(region);

    private static IReadOnlyDictionary<string, RegionLocation> Load()
    {
        using var stream = typeof(RegionLocations).Assembly.GetManifestResourceStream("KmsDashboard.Web.aws-regions.json")
                           ?? throw new InvalidOperationException("The embedded aws-regions.json is missing from the build.");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("regions").EnumerateArray()
            .Select(r => new RegionLocation(r.GetProperty("code").GetString()!, r.GetProperty("name").GetString()!,
                r.GetProperty("lat").GetDouble(), r.GetProperty("lon").GetDouble()))
            .ToDictionary(r => r.Code, StringComparer.Ordinal);
    }
}
