using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>A validated LookupEvents request: at most one attribute, a time range, a page size and a cursor.</summary>
internal sealed class LookupQuery
{
    public static readonly string[] AttributeKeys =
        ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"];

    public string? AttributeKey { get; private init; }
    public string? AttributeValue { get; private init; }
    public DateTimeOffset? StartTime { get; private init; }
    public DateTimeOffset? EndTime { get; private init; }
    public int MaxResults { get; private init; } = CloudTrailLimits.MaxResults;
    public string? NextToken { get; private init; }
    public bool InsightsOnly { get; private init; }

    /// <summary>Parses and validates the JSON body, throwing CloudTrail's own error codes.</summary>
    public static LookupQuery Parse(JsonElement body, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new TrailLookupException("SerializationException", "The request body is not a JSON object.");
        string? key = null, value = null;
        if (body.TryGetProperty("LookupAttributes", out var attributes) && attributes.ValueKind != JsonValueKind.Null)
        {
            if (attributes.ValueKind != JsonValueKind.Array)
                throw new TrailLookupException("SerializationException", "LookupAttributes must be a list.");
            if (attributes.GetArrayLength() > 1)
                throw new TrailLookupException("InvalidLookupAttributesException", "You cannot specify more than one lookup attribute.");
            if (attributes.GetArrayLength() == 1)
            {
                var attribute = attributes[0];
                key = String(attribute, "AttributeKey");
                value = String(attribute, "AttributeValue");
                if (key is null || !AttributeKeys.Contains(key, StringComparer.Ordinal))
                    throw new TrailLookupException("InvalidLookupAttributesException",
                        $"'{key}' is not a valid lookup attribute key. Valid keys: {string.Join(", ", AttributeKeys)}.");
                if (string.IsNullOrEmpty(value))
                    throw new TrailLookupException("InvalidLookupAttributesException", "The lookup attribute value must not be empty.");
                if (WeightedLength(value) > CloudTrailLimits.MaxAttributeValueLength)
                    throw new TrailLookupException("InvalidLookupAttributesException", "The lookup attribute value is longer than 2000 characters.");
                if (key == "ReadOnly" && value is not ("true" or "false"))
                    throw new TrailLookupException("InvalidLookupAttributesException", "ReadOnly must be 'true' or 'false'.");
            }
        }
        var start = Time(body, "StartTime");
        var end = Time(body, "EndTime");
        if (start is { } s && end is { } e && s > e)
            throw new TrailLookupException("InvalidTimeRangeException", "Start time must be before the end time.");
        if (end is { } endTime && endTime < now - CloudTrailLimits.Retention)
            throw new TrailLookupException("InvalidTimeRangeException", "The time range is outside the 90 days of event history.");
        var maxResults = CloudTrailLimits.MaxResults;
        if (body.TryGetProperty("MaxResults", out var max) && max.ValueKind != JsonValueKind.Null)
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out maxResults) || maxResults is < 1 or > CloudTrailLimits.MaxResults)
                throw new TrailLookupException("InvalidMaxResultsException", "MaxResults must be between 1 and 50.");
        }
        var category = String(body, "EventCategory");
        if (category is not null && category != "insight")
            throw new TrailLookupException("InvalidEventCategoryException", $"'{category}' is not a valid event category. Valid value: insight.");
        return new LookupQuery
        {
            AttributeKey = key,
            AttributeValue = value,
            StartTime = start,
            EndTime = end,
            MaxResults = maxResults,
            NextToken = String(body, "NextToken"),
            InsightsOnly = category == "insight",
        };
    }

    /// <summary>What a NextToken is bound to: the same Region, attribute and time range (not the page size).</summary>
    public string Fingerprint(string region)
    {
        var text = string.Join('\n', region, AttributeKey, AttributeValue,
            StartTime?.UtcTicks.ToString(CultureInfo.InvariantCulture), EndTime?.UtcTicks.ToString(CultureInfo.InvariantCulture), InsightsOnly);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 12);
    }

    public bool Matches(TrailEvent e) => AttributeKey switch
    {
        null => true,
        "EventId" => e.EventId == AttributeValue,
        "EventName" => e.EventName == AttributeValue,
        "ReadOnly" => (e.ReadOnly ? "true" : "false") == AttributeValue,
        "Username" => e.Username == AttributeValue,
        "ResourceType" => e.Resources.Any(r => TrailResources.TypeOf(r) == AttributeValue),
        "ResourceName" => e.Resources.Contains(AttributeValue!, StringComparer.Ordinal),
        "EventSource" => e.EventSource == AttributeValue,
        "AccessKeyId" => e.AccessKeyId == AttributeValue,
        _ => false,
    };

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>AWS JSON timestamps are epoch seconds (possibly fractional); ISO strings are accepted too.</summary>
    private static DateTimeOffset? Time(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null) return null;
        if (p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out var seconds))
            return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        if (p.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(p.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return parsed.ToUniversalTime();
        throw new TrailLookupException("InvalidTimeRangeException", $"{name} is not a valid timestamp.");
    }

    /// <summary>'_', ' ', ',' and newline count twice toward the 2000-character limit.</summary>
    private static int WeightedLength(string value) => value.Length + value.Count(c => c is '_' or ' ' or ',' or '\n');
}
