using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.S3;

/// <summary>One S3 request being served: the addressed bucket and key, the signing Region and caller, and header/query readers.</summary>
internal sealed class S3Call(SandboxRequest request, S3Store store, string? bucket, string? key)
{
    public SandboxRequest Request { get; } = request;
    public S3Store Store { get; } = store;
    public HttpContext Http => Request.Http;
    public HttpResponse Response => Http.Response;
    public CancellationToken Aborted => Http.RequestAborted;
    public string Region => Request.Region;
    public string AccessKeyId => Request.AccessKeyId;
    public string? BucketName { get; } = bucket;
    public string? Key { get; } = key;

    public string Bucket => BucketName ?? throw S3Errors.MethodNotAllowed(Http.Request.Method, "SERVICE");
    public string ObjectKey => Key ?? throw S3Errors.MethodNotAllowed(Http.Request.Method, "BUCKET");

    public bool Has(string query) => Http.Request.Query.ContainsKey(query);
    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
    public string? Header(string name) => Http.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

    public int? IntQuery(string name, int min, int max)
    {
        var text = Query(name);
        if (text is null) return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min)
            throw S3Errors.InvalidArgument($"Provided {name} not an integer or within integer range", name, text);
        return Math.Min(value, max);
    }

    /// <summary>The request body, decoded and checked as an upload's is (clients send configuration bodies with checksums too).</summary>
    public async Task<byte[]> ReadBodyAsync() => (await UploadBody.ReadAsync(Http.Request, Aborted)).Bytes;

    public Task NoContentAsync()
    {
        Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public Task OkAsync()
    {
        Response.StatusCode = 200;
        return Task.CompletedTask;
    }
}
