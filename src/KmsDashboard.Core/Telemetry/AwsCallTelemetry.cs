using System.Diagnostics;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace KmsDashboard.Core.Telemetry;

/// <summary>
/// A span and metrics for every request an AWS SDK client sends (each retry attempt is its own request with its own
/// request id): service, operation, Region, HTTP status, throttled or not, the AWS request id and error code. Hooked into
/// every SDK client's pipeline inside its retry handler, so the SDK's own timeout and retry settings are untouched.
/// </summary>
public sealed class AwsCallTelemetry : PipelineHandler
{
    private static int _registered;

    /// <summary>Adds the handler to every SDK client built from now on (once per process; later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) RuntimePipelineCustomizerRegistry.Instance.Register(new Customizer());
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        var request = executionContext.RequestContext;
        var service = request.ServiceMetaData?.ServiceId ?? request.ClientConfig?.ServiceId ?? "AWS";
        var name = request.RequestName ?? request.OriginalRequest?.GetType().Name ?? "Unknown";
        var operation = name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
        var region = request.ClientConfig?.RegionEndpoint?.SystemName ?? request.ClientConfig?.AuthenticationRegion ?? "";
        using var call = AwsCall.Start(service, operation, region);
        try
        {
            var response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            call.Succeeded((int)response.HttpStatusCode, response.ResponseMetadata?.RequestId);
            return response;
        }
        catch (AmazonServiceException ex)
        {
            call.Failed((int)ex.StatusCode, ex.ErrorCode, ex.RequestId, IsThrottling(ex.ErrorCode, (int)ex.StatusCode));
            throw;
        }
        catch (Exception ex)
        {
            call.Failed(0, ex is OperationCanceledException ? "Cancelled" : ex.GetType().Name, null, false);
            throw;
        }
    }

    /// <summary>The error codes AWS services answer a request over quota with.</summary>
    public static bool IsThrottling(string? errorCode, int status) =>
        errorCode is "ThrottlingException" or "Throttling" or "TooManyRequestsException" or "RequestLimitExceeded" or "SlowDown"
            or "ProvisionedThroughputExceededException" or "RequestThrottledException" || status == 429;

    private sealed class Customizer : IRuntimePipelineCustomizer
    {
        public string UniqueName => typeof(AwsCallTelemetry).FullName!;

        public void Customize(Type type, RuntimePipeline pipeline) => pipeline.AddHandlerAfter<RetryHandler>(new AwsCallTelemetry());
    }
}
