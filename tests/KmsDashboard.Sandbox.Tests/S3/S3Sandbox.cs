using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>
/// One demo-less sandbox per test class with real AWSSDK.S3 and KMS clients per Region (path style, signed for the
/// Region as the dashboard configures them), and raw HTTP for what the SDK cannot be made to send.
/// </summary>
public sealed class S3Sandbox : IAsyncLifetime
{
    public const string AccessKey = DemoAccessKeys.Alice;
    private readonly Dictionary<string, AmazonS3Client> _clients = [];
    private int _serial;

    public SandboxHarness Harness { get; private set; } = null!;
    public Uri Url => Harness.Server.Url;
    public S3SandboxState State => Harness.Server.Services.GetRequiredService<S3SandboxState>();

    public async Task InitializeAsync() => Harness = await SandboxHarness.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await Harness.DisposeAsync();
    }

    public AmazonS3Client S3(string region)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(region, out var client))
                _clients[region] = client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, "sandbox-secret"),
                    new AmazonS3Config { ServiceURL = Url.ToString(), ForcePathStyle = true, AuthenticationRegion = region, MaxErrorRetry = 0 });
            return client;
        }
    }

    public Amazon.KeyManagementService.AmazonKeyManagementServiceClient Kms(string region) => Harness.Kms(region);

    /// <summary>A bucket name no other test of the class uses.</summary>
    public string NewBucketName(string stem) => $"{stem}-{Interlocked.Increment(ref _serial)}-{Guid.NewGuid():N}"[..Math.Min(63, stem.Length + 20)].TrimEnd('-');

    public async Task<string> CreateBucketAsync(string region, string stem = "bucket", bool versioned = false)
    {
        var name = NewBucketName(stem);
        await S3(region).PutBucketAsync(new PutBucketRequest
        {
            BucketName = name,
            PutBucketConfiguration = region == "us-east-1" ? null : new PutBucketConfiguration { LocationConstraint = new BucketLocationConstraint(region) },
        });
        if (versioned)
            await S3(region).PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = name,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            });
        return name;
    }

    /// <summary>A request the SDK would not send as written (virtual-host Host, hand-made aws-chunked bodies), scoped to a Region.</summary>
    public HttpRequestMessage Raw(HttpMethod method, string pathAndQuery, string region, string? host = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Url, pathAndQuery));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={AccessKey}/{DateTime.UtcNow:yyyyMMdd}/{region}/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('0', 64)}");
        request.Headers.TryAddWithoutValidation("x-amz-date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'"));
        if (host is not null) request.Headers.Host = host;
        return request;
    }

    public static ByteArrayContent Bytes(byte[] body, string? contentType = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
