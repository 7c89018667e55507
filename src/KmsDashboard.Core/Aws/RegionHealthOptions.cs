using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Aws;

/// <summary>The <c>RegionHealth</c> section: how often and how patiently each Region is probed.</summary>
public sealed class RegionHealthOptions
{
    public const string Section = "RegionHealth";

    /// <summary>Time between two probe rounds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "RegionHealth:ProbeInterval must be between 1 second and 1 hour.")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one probe may take before its Region counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "RegionHealth:ProbeTimeout must be between 100 ms and 5 minutes.")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
