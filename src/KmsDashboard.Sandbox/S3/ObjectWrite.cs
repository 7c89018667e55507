namespace KmsDashboard.Sandbox.S3;

/// <summary>Everything a new object version takes from its request besides the body.</summary>
internal sealed record ObjectWrite(
    string ContentType,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Metadata,
    SseRequest Sse,
    KeyValuePair<string, string>? Checksum = null)
{
    public static ObjectWrite Plain(string contentType = "binary/octet-stream", SseRequest? sse = null) =>
        new(contentType, new Dictionary<string, string>(), new Dictionary<string, string>(), sse ?? SseRequest.None);
}
