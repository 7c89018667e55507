using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>DescribeTrails input (Amazon.CloudTrail.Model.DescribeTrailsRequest); the wire names are camelCase.</summary>
public sealed class DescribeTrailsRequest
{
    /// <summary>Names (this Region's trails) or ARNs; empty for every trail of the Region.</summary>
    [JsonPropertyName("trailNameList")] public List<string>? TrailNameList { get; set; }

    /// <summary>Whether multi-Region trails of other home Regions are listed too; CloudTrail's default is true.</summary>
    [JsonPropertyName("includeShadowTrails")] public bool? IncludeShadowTrails { get; set; }
}
