using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>DescribeTrails output (Amazon.CloudTrail.Model.DescribeTrailsResponse).</summary>
public sealed class DescribeTrailsResponse : AmazonWebServiceResponse
{
    [JsonPropertyName("trailList")] public List<Trail> TrailList { get; set; } = [];
}
