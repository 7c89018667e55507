namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Where an AWS Region sits on the map (approximate metro area), from wwwroot-assets/map/aws-regions.json.</summary>
public sealed record RegionLocation(string Code, string Name, double Lat, double Lon)
{
    public const double MapWidth = 1000, MapHeight = 500;

    /// <summary>Equirectangular, matching wwwroot/map/land-110m.svg.</summary>
    public double X => (Lon + 180) / 360 * MapWidth;
    public double Y => (90 - Lat) / 180 * MapHeight;
}
