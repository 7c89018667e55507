using System.Net;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// An error answered by an AWS service (or the network on the way) to one of the hand-written JSON clients,
/// with the service's error code — branch on <see cref="ErrorCode"/>, as with the SDK's exceptions.
/// </summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(
        string errorCode, string message, HttpStatusCode statusCode, string? requestId,
        string service, string operation, string region, int attempts, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        RequestId = requestId;
        Service = service;
        Operation = operation;
        Region = region;
        Attempts = attempts;
    }

    /// <summary>The service's error code, e.g. ThrottlingException, InvalidParameterValue.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status; 0 when no answer came (network failure).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>x-amzn-RequestId</c> of the failed attempt, when the service sent one.</summary>
    public string? RequestId { get; }

    /// <summary>The signing name of the service, e.g. monitoring, cloudtrail.</summary>
    public string Service { get; }

    public string Operation { get; }

    public string Region { get; }

    /// <summary>How many attempts were made, retries included.</summary>
    public int Attempts { get; }

    /// <summary>True for throttling codes and HTTP 429.</summary>
    public bool IsThrottling => AwsRetryPolicy.IsThrottlingCode(ErrorCode) || StatusCode == HttpStatusCode.TooManyRequests;
}
