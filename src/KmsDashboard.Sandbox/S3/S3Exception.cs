namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// An S3 error as the wire carries it: <c>&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;…&lt;/Error&gt;</c> with an HTTP
/// status, extra elements S3 adds for the error (BucketName, Key, Region…) and headers (x-amz-bucket-region).
/// </summary>
public sealed class S3Exception(string code, string message, int status) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
    public List<KeyValuePair<string, string>> Details { get; } = [];
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public S3Exception With(string element, string value)
    {
        Details.Add(new(element, value));
        return this;
    }

    public S3Exception WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
