using System.Collections.Concurrent;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SecurityToken;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// One long-lived SDK client per Region and service, pointed at the sandbox, an explicit endpoint, or AWS.
/// SDK clients are thread-safe and costly to build, so they are made once and shared.
/// </summary>
public sealed class AwsClients : IDisposable
{
    private readonly BackendOptions _options;
    private readonly Lazy<AWSCredentials> _credentials;
    private readonly ConcurrentDictionary<string, IAmazonKeyManagementService> _kms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IAmazonKeyManagementService> _kmsWrites = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IAmazonSecurityTokenService> _sts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IAmazonS3> _s3 = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<string> _regions;

    public AwsClients(IOptions<BackendOptions> options)
    {
        _options = options.Value;
        _credentials = new(ResolveCredentials);
        _regions = _options.Regions;
    }

    /// <summary>Clients for one account of a multi-account set-up: its (assumed-role) credentials and its Regions.</summary>
    internal AwsClients(BackendOptions options, AWSCredentials credentials, IReadOnlyList<string> regions, string accountId)
    {
        _options = options;
        _credentials = new(credentials);
        _regions = regions;
        AccountId = accountId;
    }

    /// <summary>The account these clients act in: "" for the dashboard's own credentials (the single-account set-up).</summary>
    public string AccountId { get; } = "";

    /// <summary>The backend settings these clients were built from.</summary>
    public BackendOptions Options => _options;

    public BackendMode Mode => _options.Mode;

    /// <summary>The configured Regions, in configuration order.</summary>
    public IReadOnlyList<string> Regions => _regions;

    /// <summary>The explicit endpoint in use (the sandbox's URL in Sandbox mode), or null for AWS's own endpoints.</summary>
    public string? ServiceUrl => string.IsNullOrEmpty(_options.ServiceUrl) ? null : _options.ServiceUrl;

    public AWSCredentials Credentials => _credentials.Value;

    public IAmazonKeyManagementService Kms(string region) => _kms.GetOrAdd(region, r =>
    {
        var config = Configure(new AmazonKeyManagementServiceConfig(), r); // validates the Region before credentials are looked up
        return new AmazonKeyManagementServiceClient(Credentials, config);
    });

    /// <summary>
    /// KMS for key changes: the same endpoint and timeouts, but <c>Backend:Calls:WriteRetries</c> (0 by default), so a
    /// change that went unanswered is never sent twice behind the caller's back.
    /// </summary>
    public IAmazonKeyManagementService KmsWrites(string region) => _kmsWrites.GetOrAdd(region, r =>
    {
        var config = Configure(new AmazonKeyManagementServiceConfig(), r);
        config.MaxErrorRetry = Math.Max(0, _options.Calls.WriteRetries);
        return new AmazonKeyManagementServiceClient(Credentials, config);
    });

    /// <summary>STS, for GetCallerIdentity (which account the dashboard is looking at).</summary>
    public IAmazonSecurityTokenService Sts(string region) => _sts.GetOrAdd(region, r =>
    {
        var config = Configure(new AmazonSecurityTokenServiceConfig(), r);
        return new AmazonSecurityTokenServiceClient(Credentials, config);
    });

    /// <summary>
    /// S3 for buckets of <paramref name="region"/> (S3 answers a bucket's requests in its own Region). An explicit endpoint
    /// (the sandbox, LocalStack, moto) is addressed path-style: it has no per-bucket host names.
    /// </summary>
    public IAmazonS3 S3(string region) => _s3.GetOrAdd(region, r =>
    {
        var config = Configure(new AmazonS3Config(), r);
        if (ServiceUrl is not null) config.ForcePathStyle = true;
        return new AmazonS3Client(Credentials, config);
    });

    /// <summary>Applies the backend's endpoint rules to any SDK client config.</summary>
    public TConfig Configure<TConfig>(TConfig config, string region) where TConfig : ClientConfig
    {
        if (!BackendOptions.IsRegionName(region))
            throw new ArgumentException($"'{region}' is not an AWS Region name.", nameof(region));
        // Names the dashboard in every call's User-Agent, so its own reads can be recognised (and hidden) in CloudTrail.
        config.ClientAppId = DashboardIdentity.AppId;
        // Explicit limits rather than the SDK's defaults (100 s per attempt): a silent Region fails fast and visibly.
        var calls = _options.Calls;
        config.Timeout = TimeSpan.FromSeconds(Math.Max(1, calls.RequestTimeoutSeconds));
        config.ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, calls.ConnectTimeoutSeconds));
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = Math.Max(0, calls.ReadRetries);
        if (ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            // AWS_ENDPOINT_URL* would otherwise redirect even clients built for a RegionEndpoint.
            config.IgnoreConfiguredEndpointUrls = true;
        }
        return config;
    }

    private AWSCredentials ResolveCredentials()
    {
        // The sandbox accepts any signature; fixed credentials keep it working on machines with no AWS set-up.
        if (_options.Mode == BackendMode.Sandbox)
            return new BasicAWSCredentials("AKIASANDBOXDASHBOARD", "sandbox-secret-key");
        if (_options.Profile is { Length: > 0 } profile)
        {
            var chain = new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain();
            if (chain.TryGetAWSCredentials(profile, out var fromProfile)) return fromProfile;
            throw new InvalidOperationException($"{BackendOptions.Section}:Profile '{profile}' was not found in the AWS config or credentials files.");
        }
        return DefaultAWSCredentialsIdentityResolver.GetCredentials();
    }

    public void Dispose()
    {
        foreach (var client in _kms.Values) client.Dispose();
        _kms.Clear();
        foreach (var client in _kmsWrites.Values) client.Dispose();
        _kmsWrites.Clear();
        foreach (var client in _sts.Values) client.Dispose();
        _sts.Clear();
        foreach (var client in _s3.Values) client.Dispose();
        _s3.Clear();
    }
}
