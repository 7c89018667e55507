using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Aws;

/// <summary>The <c>RegionHealth</c> section: how often and how patiently each Region is probed.</summary>
public sealed class RegionHealthOptions
{
    public const string Section = "RegionHealth";

    /// <summary>
    /// Time between two probe rounds while a page watches Region health. Each round is one ListAliases per Region: a
    /// read event in each Region's CloudTrail, so six Regions every 60 s make 8,640 events a day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "RegionHealth:ProbeInterval must be between 1 second and 1 hour.")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between probe rounds while no page watches (a page that opens probes at once).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00", ErrorMessage = "RegionHealth:IdleProbeInterval must be between 1 second and 6 hours.")]
    public TimeSpan IdleProbeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one probe may take before its Region counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "RegionHealth:ProbeTimeout must be between 100 ms and 5 minutes.")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
