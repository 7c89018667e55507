using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// Base of the hand-written AWS JSON protocol clients (CloudWatch, CloudTrail) for services whose SDK package is
/// not available here: <c>POST /</c> with <c>X-Amz-Target</c>, SigV4-signed with the backend's credentials,
/// to the Region's endpoint or the configured one (sandbox, moto), with retries on throttling and 5xx, and
/// errors surfaced as <see cref="AwsServiceException"/> carrying the service's error code.
/// </summary>
public abstract class AwsJsonClient
{
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
    })
    { Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>AWS's JSON conventions: PascalCase members, nulls omitted, enums as strings, epoch-second timestamps.</summary>
    public static readonly JsonSerializerOptions DefaultJsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsConverter(), new JsonStringEnumConverter() },
    };

    private readonly AWSCredentials _credentials;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    protected AwsJsonClient(
        AwsClients clients, string region, AwsJsonProtocol protocol,
        HttpClient? http = null, AwsRetryPolicy? retry = null, ILogger? logger = null)
        : this(clients.Credentials, region, protocol,
               clients.ServiceUrl is { } url ? new Uri(url) : null, http, retry, logger)
    {
    }

    /// <param name="endpoint">An explicit endpoint (sandbox, moto); null for the service's public endpoint in the Region.</param>
    protected AwsJsonClient(
        AWSCredentials credentials, string region, AwsJsonProtocol protocol, Uri? endpoint,
        HttpClient? http = null, AwsRetryPolicy? retry = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!BackendOptions.IsRegionName(region))
            throw new ArgumentException($"'{region}' is not an AWS Region name.", nameof(region));
        _credentials = credentials;
        Region = region;
        Protocol = protocol;
        Endpoint = endpoint ?? protocol.EndpointFor(region);
        _http = http ?? SharedHttp;
        Retry = retry ?? AwsRetryPolicy.Default;
        _logger = logger ?? NullLogger.Instance;
    }

    public string Region { get; }

    public AwsJsonProtocol Protocol { get; }

    public Uri Endpoint { get; }

    public AwsRetryPolicy Retry { get; }

    protected virtual JsonSerializerOptions JsonOptions => DefaultJsonOptions;

    /// <summary>
    /// Calls <paramref name="operation"/> with <paramref name="request"/> serialized as JSON, retrying what is
    /// retryable, and returns the deserialized response (an <see cref="AmazonWebServiceResponse"/> gets its
    /// request id and status filled in).
    /// </summary>
    protected async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
        where TResponse : class, new()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, JsonOptions);
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AwsServiceException failure;
            using var call = Telemetry.AwsCall.Start(Protocol.SigningName, operation, Region); // a span and metrics per attempt
            try
            {
                using var message = await BuildRequestAsync(operation, body, cancellationToken);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
                if (response.IsSuccessStatusCode)
                {
                    call.Succeeded((int)response.StatusCode, requestId);
                    var result = payload.Length == 0 ? new TResponse() : JsonSerializer.Deserialize<TResponse>(payload, JsonOptions) ?? new TResponse();
                    if (result is AmazonWebServiceResponse sdkShaped)
                    {
                        sdkShaped.HttpStatusCode = response.StatusCode;
                        sdkShaped.ContentLength = payload.Length;
                        sdkShaped.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
                    }
                    return result;
                }
                failure = ParseError(operation, response, payload, requestId, attempt);
            }
            catch (HttpRequestException ex)
            {
                failure = new AwsServiceException("NetworkFailure", $"{Protocol.SigningName} {operation} in {Region}: {ex.Message}",
                    0, null, Protocol.SigningName, operation, Region, attempt, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new AwsServiceException("RequestTimeout", $"{Protocol.SigningName} {operation} in {Region} timed out.",
                    HttpStatusCode.RequestTimeout, null, Protocol.SigningName, operation, Region, attempt, ex);
            }

            call.Failed((int)failure.StatusCode, failure.ErrorCode, failure.RequestId, failure.IsThrottling);
            var retryable = failure.StatusCode == 0 || AwsRetryPolicy.IsRetryable(failure.StatusCode, failure.ErrorCode);
            if (!retryable || attempt >= Retry.MaxAttempts) throw failure;
            var delay = Retry.DelayBefore(attempt, failure.IsThrottling);
            _logger.LogDebug("{Service} {Operation} in {Region} failed with {ErrorCode} (attempt {Attempt}); retrying in {DelayMs} ms",
                Protocol.SigningName, operation, Region, failure.ErrorCode, attempt, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<HttpRequestMessage> BuildRequestAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var credentials = await _credentials.GetCredentialsAsync();
        cancellationToken.ThrowIfCancellationRequested();
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", Protocol.ContentType),
            new("X-Amz-Target", Protocol.Target(operation)),
        };
        if (Protocol.QueryCompatible) headers.Add(new("x-amzn-query-mode", "true"));
        var signature = SigV4Signer.Sign("POST", Endpoint, headers, body, credentials, Region, Protocol.SigningName, DateTime.UtcNow);

        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue; // HttpClient sends the same Host from the URI
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            else
                message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        message.Headers.UserAgent.ParseAdd(DashboardIdentity.AppId + "/1.0");
        return message;
    }

    private AwsServiceException ParseError(string operation, HttpResponseMessage response, byte[] payload, string? requestId, int attempt)
    {
        string? code = null;
        string? message = null;
        try
        {
            if (payload.Length > 0)
            {
                using var doc = JsonDocument.Parse(payload);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in doc.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind != JsonValueKind.String) continue;
                        if (property.NameEquals("__type") || (code is null && property.Name.Equals("code", StringComparison.OrdinalIgnoreCase)))
                            code = property.Value.GetString();
                        else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase) || property.NameEquals("errorMessage"))
                            message = property.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy or load balancer answered): keep the status and the text below.
        }
        // Query-compatible services name the query protocol's code in x-amzn-query-error: "Code;Sender".
        if (Protocol.QueryCompatible && Header(response, "x-amzn-query-error") is { Length: > 0 } queryError)
            code = queryError.Split(';')[0];
        code = NormalizeCode(code ?? Header(response, "x-amzn-ErrorType")) ?? $"Http{(int)response.StatusCode}";
        if (string.IsNullOrEmpty(message))
            message = payload.Length is > 0 and < 512 ? System.Text.Encoding.UTF8.GetString(payload) : response.ReasonPhrase ?? code;
        return new AwsServiceException(code, message!, response.StatusCode, requestId, Protocol.SigningName, operation, Region, attempt);
    }

    /// <summary><c>aws.protocols#Code:http://...</c> → <c>Code</c>.</summary>
    internal static string? NormalizeCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var hash = code.LastIndexOf('#');
        if (hash >= 0) code = code[(hash + 1)..];
        var colon = code.IndexOf(':');
        if (colon >= 0) code = code[..colon];
        return code.Trim();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
