using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// S3 over REST-XML, signed for <c>s3</c>: finds the bucket (virtual-host style <c>bucket.s3.…</c> or
/// <c>bucket.localhost</c>, else path style), routes to the operation, answers requests for a bucket of another
/// Region as S3 does, writes S3's XML errors, and records bucket management calls for CloudTrail.
/// </summary>
internal sealed class S3Service(S3Store store, SandboxCallLog log) : ISandboxService
{
    public string SigningName => "s3";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        http.Response.Headers["x-amz-request-id"] = request.RequestId;
        http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var (bucket, key) = Address(http);
        var call = new S3Call(request, store, bucket, key);
        S3Operation? operation = null;
        S3Exception? error = null;
        try
        {
            operation = S3Router.Route(call);
            if (operation.ChecksRegion && bucket is not null) CheckRegion(call, bucket);
            await operation.Handle(call);
        }
        catch (S3Exception ex)
        {
            error = ex;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = new S3Exception("InternalError", $"We encountered an internal error: {ex.Message}", 500);
        }
        if (operation is { Management: true }) Record(call, operation, error);
        if (error is not null && !http.Response.HasStarted) await WriteErrorAsync(http, error, request.RequestId, cancellationToken);
    }

    /// <summary>
    /// The bucket and key a request addresses. Virtual-host style when the Host names a bucket before <c>.s3.</c>
    /// (or <c>.s3-</c>) or before <c>.localhost</c>; otherwise the first path segment is the bucket.
    /// </summary>
    public static (string? Bucket, string? Key) Address(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        if (target.StartsWith("http", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(target, UriKind.Absolute, out var absolute))
            target = absolute.PathAndQuery;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? target[..query] : target;
        path = path.TrimStart('/');
        var hostBucket = VirtualHostBucket(http.Request.Host.Host);
        if (hostBucket is not null) return (hostBucket, path.Length == 0 ? null : Uri.UnescapeDataString(path));
        if (path.Length == 0) return (null, null);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return (Uri.UnescapeDataString(path), null);
        var objectKey = path[(slash + 1)..];
        return (Uri.UnescapeDataString(path[..slash]), objectKey.Length == 0 ? null : Uri.UnescapeDataString(objectKey));
    }

    private static string? VirtualHostBucket(string host)
    {
        if (host.Length == 0 || IPAddress.TryParse(host, out _)) return null;
        foreach (var marker in new[] { ".s3.", ".s3-" })
        {
            var index = host.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (index > 0) return host[..index];
        }
        const string Localhost = ".localhost";
        return host.EndsWith(Localhost, StringComparison.OrdinalIgnoreCase) && host.Length > Localhost.Length ? host[..^Localhost.Length] : null;
    }

    /// <summary>
    /// A bucket lives in one Region. Signed for us-east-1 (the global endpoint) S3 answers 301 PermanentRedirect; signed for
    /// another Region it answers 400 AuthorizationHeaderMalformed naming the right Region; both carry x-amz-bucket-region
    /// (S3 API reference, "List of error codes"; botocore's S3RegionRedirector reads either and retries in that Region).
    /// </summary>
    private void CheckRegion(S3Call call, string bucketName)
    {
        var bucket = store.FindBucket(bucketName);
        if (bucket is null || bucket.Region == call.Region) return;
        throw call.Region == S3Store.DefaultRegion
            ? S3Errors.PermanentRedirect(bucket.Name, bucket.Region)
            : S3Errors.WrongRegion(call.Region, bucket.Region);
    }

    /// <summary>Injected faults as S3 answers them: an outage is 503 ServiceUnavailable, throttling 503 SlowDown.</summary>
    public Task WriteFaultAsync(HttpContext http, int status, string code, string message)
    {
        var requestId = http.Response.Headers["x-amzn-RequestId"].ToString();
        http.Response.Headers["x-amz-request-id"] = requestId;
        http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var error = code == "ThrottlingException"
            ? new S3Exception("SlowDown", "Please reduce your request rate.", 503)
            : new S3Exception("ServiceUnavailable", message, 503);
        return WriteErrorAsync(http, error, requestId, http.RequestAborted);
    }

    public Task WriteAuthErrorAsync(HttpContext http, bool expired)
    {
        var requestId = http.Response.Headers["x-amzn-RequestId"].ToString();
        http.Response.Headers["x-amz-request-id"] = requestId;
        http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var error = expired
            ? new S3Exception("ExpiredToken", "The provided token has expired.", 400)
            : new S3Exception("InvalidToken", "The provided token is malformed or otherwise invalid.", 400);
        return WriteErrorAsync(http, error, requestId, http.RequestAborted);
    }

    public static async Task WriteErrorAsync(HttpContext http, S3Exception error, string requestId, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers) http.Response.Headers[name] = value;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await S3Xml.WriteAsync(http.Response, new XElement("Error",
            new XElement("Code", error.Code),
            new XElement("Message", error.Message),
            error.Details.Select(d => new XElement(d.Key, d.Value)),
            new XElement("RequestId", requestId),
            new XElement("HostId", http.Response.Headers["x-amz-id-2"].ToString())), cancellationToken, error.Status);
    }

    private void Record(S3Call call, S3Operation operation, S3Exception? error)
    {
        var parameters = new JsonObject { ["Host"] = call.Http.Request.Host.Value };
        if (call.BucketName is not null) parameters["bucketName"] = call.BucketName;
        log.Publish(new SandboxCall
        {
            Time = store.Clock.UtcNow,
            Region = call.Region,
            Service = "s3",
            Operation = operation.Name,
            RequestId = call.Request.RequestId,
            AccessKeyId = call.AccessKeyId,
            SourceIp = call.Request.SourceIp,
            UserAgent = call.Request.UserAgent ?? "",
            ReadOnly = operation.ReadOnly,
            RequestParameters = parameters,
            ErrorCode = error?.Code,
            ErrorMessage = error?.Message,
            Resources = call.BucketName is null ? [] : ["arn:aws:s3:::" + call.BucketName],
        });
    }
}
