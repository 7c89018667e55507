using System.Text.Json;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>DescribeTrails, GetTrailStatus and GetEventSelectors with the botocore <c>cloudtrail</c> model's shapes.</summary>
internal sealed class TrailApi(TrailCatalog catalog)
{
    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(StringComparer.Ordinal)
    {
        "DescribeTrails", "GetTrailStatus", "GetEventSelectors",
    };

    /// <summary>Writes the operation's answer; throws <see cref="TrailLookupException"/> for what CloudTrail refuses.</summary>
    public void Write(Utf8JsonWriter w, string operation, string region, JsonElement body, DateTimeOffset now)
    {
        switch (operation)
        {
            case "DescribeTrails": DescribeTrails(w, region, body); break;
            case "GetTrailStatus": GetTrailStatus(w, catalog.Find(region, String(body, "Name")), now); break;
            case "GetEventSelectors": GetEventSelectors(w, catalog.Find(region, String(body, "TrailName"))); break;
            default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }

    private void DescribeTrails(Utf8JsonWriter w, string region, JsonElement body)
    {
        var names = new List<string>();
        if (body.TryGetProperty("trailNameList", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var name = item.GetString() ?? "";
                if (!name.StartsWith("arn:", StringComparison.Ordinal)) TrailCatalog.ValidateName(name);
                names.Add(name);
            }
        }
        var includeShadows = !body.TryGetProperty("includeShadowTrails", out var shadows) || shadows.ValueKind != JsonValueKind.False;
        w.WriteStartObject();
        w.WriteStartArray("trailList");
        foreach (var trail in catalog.Describe(region, names, includeShadows))
        {
            w.WriteStartObject();
            w.WriteString("Name", trail.Name);
            w.WriteString("S3BucketName", trail.S3BucketName);
            w.WriteBoolean("IncludeGlobalServiceEvents", trail.IncludeGlobalServiceEvents);
            w.WriteBoolean("IsMultiRegionTrail", trail.IsMultiRegionTrail);
            w.WriteString("HomeRegion", trail.HomeRegion);
            w.WriteString("TrailARN", trail.Arn(catalog.AccountId));
            w.WriteBoolean("LogFileValidationEnabled", trail.LogFileValidationEnabled);
            w.WriteBoolean("HasCustomEventSelectors", trail.HasCustomEventSelectors);
            w.WriteBoolean("HasInsightSelectors", false);
            w.WriteBoolean("IsOrganizationTrail", false);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void GetTrailStatus(Utf8JsonWriter w, SandboxTrail trail, DateTimeOffset now)
    {
        w.WriteStartObject();
        w.WriteBoolean("IsLogging", trail.IsLogging);
        w.WriteNumber("StartLoggingTime", TrailClockFormat.Epoch(trail.StartLoggingTime));
        w.WriteString("TimeLoggingStarted", TrailClockFormat.Iso(trail.StartLoggingTime));
        if (trail.StopLoggingTime is { } stopped)
        {
            w.WriteNumber("StopLoggingTime", TrailClockFormat.Epoch(stopped));
            w.WriteString("TimeLoggingStopped", TrailClockFormat.Iso(stopped));
        }
        // Log files are delivered about every five minutes while the trail logs; the last one when it stopped.
        var delivered = trail.StopLoggingTime ?? DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 300 * 300);
        w.WriteNumber("LatestDeliveryTime", TrailClockFormat.Epoch(delivered));
        w.WriteString("LatestDeliveryAttemptTime", TrailClockFormat.Iso(delivered));
        w.WriteString("LatestDeliveryAttemptSucceeded", TrailClockFormat.Iso(delivered));
        w.WriteNumber("LatestDigestDeliveryTime", TrailClockFormat.Epoch(delivered));
        w.WriteString("LatestNotificationAttemptTime", "");
        w.WriteString("LatestNotificationAttemptSucceeded", "");
        w.WriteEndObject();
    }

    private void GetEventSelectors(Utf8JsonWriter w, SandboxTrail trail)
    {
        w.WriteStartObject();
        w.WriteString("TrailARN", trail.Arn(catalog.AccountId));
        w.WriteStartArray("EventSelectors");
        foreach (var selector in trail.EventSelectors)
        {
            w.WriteStartObject();
            w.WriteString("ReadWriteType", selector.ReadWriteType);
            w.WriteBoolean("IncludeManagementEvents", selector.IncludeManagementEvents);
            w.WriteStartArray("DataResources");
            foreach (var resource in selector.DataResources)
            {
                w.WriteStartObject();
                w.WriteString("Type", resource.Type);
                w.WriteStartArray("Values");
                foreach (var value in resource.Values) w.WriteStringValue(value);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("ExcludeManagementEventSources");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
