using System.Text.Json;
using KmsDashboard.Core.Aws.CloudTrail;

namespace KmsDashboard.Core.Audit;

/// <summary>Turns a LookupEvents <see cref="Event"/> and its <c>CloudTrailEvent</c> JSON into an <see cref="AuditEvent"/>.</summary>
public static class CloudTrailRecordParser
{
    public static AuditEvent Parse(Event e, string region)
    {
        var record = e.CloudTrailEvent ?? "";
        string userType = "", userArn = "", accessKey = e.AccessKeyId ?? "", sourceIp = "", userAgent = "", eventType = "", requestId = "";
        string? roleName = null, invokedBy = null, keyId = null, errorCode = null, errorMessage = null, awsRegion = null;
        var context = AuditEvent.Empty;
        var resources = new List<AuditResource>();
        bool? readOnly = null;
        if (record.Length > 0)
        {
            try
            {
                using var doc = JsonDocument.Parse(record);
                var root = doc.RootElement;
                if (root.TryGetProperty("userIdentity", out var identity) && identity.ValueKind == JsonValueKind.Object)
                {
                    userType = Str(identity, "type") ?? (Str(identity, "invokedBy") is not null ? "AWSService" : "");
                    userArn = Str(identity, "arn") ?? "";
                    accessKey = Str(identity, "accessKeyId") ?? accessKey;
                    invokedBy = Str(identity, "invokedBy");
                    if (identity.TryGetProperty("sessionContext", out var session) && session.ValueKind == JsonValueKind.Object
                        && session.TryGetProperty("sessionIssuer", out var issuer) && issuer.ValueKind == JsonValueKind.Object)
                        roleName = Str(issuer, "userName");
                }
                sourceIp = Str(root, "sourceIPAddress") ?? "";
                userAgent = Str(root, "userAgent") ?? "";
                eventType = Str(root, "eventType") ?? "";
                requestId = Str(root, "requestID") ?? "";
                errorCode = Str(root, "errorCode");
                errorMessage = Str(root, "errorMessage");
                awsRegion = Str(root, "awsRegion");
                if (root.TryGetProperty("readOnly", out var ro) && ro.ValueKind is JsonValueKind.True or JsonValueKind.False) readOnly = ro.GetBoolean();
                if (root.TryGetProperty("requestParameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                {
                    keyId = Str(parameters, "keyId") ?? Str(parameters, "targetKeyId");
                    if (parameters.TryGetProperty("encryptionContext", out var ec) && ec.ValueKind == JsonValueKind.Object)
                        context = ec.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
                }
                if (root.TryGetProperty("resources", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var r in list.EnumerateArray())
                        if (Str(r, "ARN") is { } arn) resources.Add(new AuditResource(Str(r, "type") ?? "", arn));
                }
            }
            catch (JsonException)
            {
                // A record that does not parse is still shown and exported as CloudTrail sent it.
            }
        }
        if (resources.Count == 0)
            resources.AddRange(e.Resources.Where(r => r.ResourceName is not null).Select(r => new AuditResource(r.ResourceType ?? "", r.ResourceName!)));
        return new AuditEvent
        {
            Region = awsRegion ?? region,
            EventId = e.EventId ?? "",
            EventTime = e.EventTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
            EventName = e.EventName ?? "",
            EventSource = e.EventSource ?? "",
            ReadOnly = readOnly ?? string.Equals(e.ReadOnly, "true", StringComparison.OrdinalIgnoreCase),
            EventType = eventType,
            Username = e.Username ?? "",
            UserType = userType,
            UserArn = userArn,
            RoleName = roleName,
            InvokedBy = invokedBy,
            AccessKeyId = accessKey,
            SourceIpAddress = sourceIp,
            UserAgent = userAgent,
            RequestKeyId = keyId,
            EncryptionContext = context,
            ErrorCode = errorCode,
            ErrorMessage = errorMessage,
            KeyArns = [.. resources.Where(r => r.Type == "AWS::KMS::Key" || r.Arn.Contains(":key/", StringComparison.Ordinal)).Select(r => r.Arn).Distinct(StringComparer.Ordinal)],
            Resources = resources,
            RequestId = requestId,
            Record = record,
        };
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
