using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Writes events as LookupEvents returns them, with the full CloudTrail record as a JSON string.</summary>
internal static class TrailRecordWriter
{
    public const string EventVersion = "1.09";

    /// <summary>Quotes as \" rather than \u0022, as CloudTrail writes them.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One item of LookupEvents' <c>Events</c>.</summary>
    public static void WriteLookupEvent(Utf8JsonWriter w, TrailEvent e, string accountId)
    {
        w.WriteStartObject();
        w.WriteString("EventId", e.EventId);
        w.WriteString("EventName", e.EventName);
        w.WriteString("ReadOnly", e.ReadOnly ? "true" : "false");
        if (e.AccessKeyId.Length > 0) w.WriteString("AccessKeyId", e.AccessKeyId);
        w.WriteNumber("EventTime", TrailClockFormat.Epoch(e.Time));
        w.WriteString("EventSource", e.EventSource);
        if (e.Username.Length > 0) w.WriteString("Username", e.Username);
        w.WriteStartArray("Resources");
        foreach (var arn in e.Resources)
        {
            w.WriteStartObject();
            w.WriteString("ResourceType", TrailResources.TypeOf(arn));
            w.WriteString("ResourceName", arn);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("CloudTrailEvent", Record(e, accountId));
        w.WriteEndObject();
    }

    /// <summary>The CloudTrail record, as delivered to a trail and returned in <c>CloudTrailEvent</c>.</summary>
    public static string Record(TrailEvent e, string accountId)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteString("eventVersion", EventVersion);
            w.WritePropertyName("userIdentity");
            e.Principal.ToUserIdentity(accountId, e.AccessKeyId, e.Time, e.InvokedBy).WriteTo(w);
            w.WriteString("eventTime", TrailClockFormat.Iso(e.Time));
            w.WriteString("eventSource", e.EventSource);
            w.WriteString("eventName", e.EventName);
            w.WriteString("awsRegion", e.Region);
            w.WriteString("sourceIPAddress", e.SourceIp);
            w.WriteString("userAgent", e.UserAgent);
            if (e.ErrorCode is not null)
            {
                w.WriteString("errorCode", e.ErrorCode);
                w.WriteString("errorMessage", e.ErrorMessage ?? "");
            }
            w.WritePropertyName("requestParameters");
            var parameters = e.RequestParameters ?? e.RequestParametersFactory?.Invoke();
            if (parameters is null) w.WriteNullValue(); else parameters.WriteTo(w);
            w.WritePropertyName("responseElements");
            if (e.ResponseElements is null) w.WriteNullValue(); else e.ResponseElements.WriteTo(w);
            w.WriteString("requestID", e.RequestId);
            w.WriteString("eventID", e.EventId);
            w.WriteBoolean("readOnly", e.ReadOnly);
            w.WriteStartArray("resources");
            foreach (var arn in e.Resources)
            {
                w.WriteStartObject();
                w.WriteString("accountId", TrailResources.AccountOf(arn, accountId));
                w.WriteString("type", TrailResources.TypeOf(arn));
                w.WriteString("ARN", arn);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("eventType", e.EventType);
            w.WriteBoolean("managementEvent", true);
            w.WriteString("recipientAccountId", accountId);
            w.WriteString("eventCategory", "Management");
            if (e.VpcEndpointId is not null) w.WriteString("vpcEndpointId", e.VpcEndpointId);
            if (e.EventType == "AwsApiCall" && e.InvokedBy is null)
            {
                w.WriteStartObject("tlsDetails");
                w.WriteString("tlsVersion", "TLSv1.3");
                w.WriteString("cipherSuite", "TLS_AES_256_GCM_SHA384");
                w.WriteString("clientProvidedHostHeader", $"{e.EventSource.Split('.')[0]}.{e.Region}.amazonaws.com");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
