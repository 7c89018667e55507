using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>GetEventSelectors output (Amazon.CloudTrail.Model.GetEventSelectorsResponse): basic or advanced selectors.</summary>
public sealed class GetEventSelectorsResponse : AmazonWebServiceResponse
{
    public string? TrailARN { get; set; }
    public List<EventSelector> EventSelectors { get; set; } = [];
    public List<AdvancedEventSelector> AdvancedEventSelectors { get; set; } = [];
}

/// <summary>A basic event selector; <see cref="IncludeManagementEvents"/> is true when absent, as in CloudTrail.</summary>
public sealed class EventSelector
{
    public string? ReadWriteType { get; set; }
    public bool? IncludeManagementEvents { get; set; }
    public List<string> ExcludeManagementEventSources { get; set; } = [];
}

/// <summary>An advanced event selector: field conditions such as <c>eventCategory = Management</c>.</summary>
public sealed class AdvancedEventSelector
{
    public string? Name { get; set; }
    public List<AdvancedFieldSelector> FieldSelectors { get; set; } = [];
}

/// <summary>One condition of an advanced event selector.</summary>
public sealed class AdvancedFieldSelector
{
    public string? Field { get; set; }
    [JsonPropertyName("Equals")] public List<string> EqualTo { get; set; } = [];
    [JsonPropertyName("NotEquals")] public List<string> NotEqualTo { get; set; } = [];
}
