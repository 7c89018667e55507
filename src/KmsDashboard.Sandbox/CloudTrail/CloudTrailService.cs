using System.Text.Json;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// The sandbox's CloudTrail over AWS JSON 1.1: LookupEvents, with CloudTrail's rules and its rate limit, and the
/// trail reads DescribeTrails, GetTrailStatus and GetEventSelectors.
/// </summary>
internal sealed class CloudTrailService(
    SandboxOptions options, SandboxClock clock, TrailLookup lookup, CloudTrailRateMeter meter, CloudTrailRecorder recorder, TrailApi trails)
    : ISandboxService
{
    public const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    private const string ContentType = "application/x-amz-json-1.1";

    // The recorder is a dependency so that it subscribes before the first call is served.
    private readonly CloudTrailRecorder _recorder = recorder;

    public string SigningName => "cloudtrail";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var target = request.Target ?? "";
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "UnknownOperationException", $"Unknown operation '{target}'.", ContentType);
            return;
        }
        var operation = target[TargetPrefix.Length..];
        if (TrailApi.Operations.Contains(operation))
        {
            await HandleTrailReadAsync(request, operation, cancellationToken);
            return;
        }
        if (operation != "LookupEvents")
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "UnknownOperationException",
                $"The sandbox's CloudTrail serves LookupEvents, DescribeTrails, GetTrailStatus and GetEventSelectors, not {operation}.", ContentType);
            return;
        }
        if (!meter.TryAcquire(request.Region))
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "ThrottlingException", "Rate exceeded", ContentType);
            return;
        }
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "SerializationException", "The request body is not valid JSON.", ContentType);
            return;
        }
        using (body)
        {
            LookupQuery query;
            TrailLookup.Page page;
            try
            {
                var now = clock.UtcNow;
                query = LookupQuery.Parse(body.RootElement, now);
                page = lookup.Run(request.Region, query, now);
            }
            catch (TrailLookupException ex)
            {
                await SandboxDispatcher.WriteJsonErrorAsync(http, 400, ex.Code, ex.Message, ContentType);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = ContentType;
            await using var writer = new Utf8JsonWriter(http.Response.Body, TrailRecordWriter.Options);
            writer.WriteStartObject();
            writer.WriteStartArray("Events");
            foreach (var e in page.Events) TrailRecordWriter.WriteLookupEvent(writer, e, options.AccountId);
            writer.WriteEndArray();
            if (page.Next is { } next) writer.WriteString("NextToken", next.Encode());
            writer.WriteEndObject();
            await writer.FlushAsync(cancellationToken);
        }
    }

    private async Task HandleTrailReadAsync(SandboxRequest request, string operation, CancellationToken cancellationToken)
    {
        var http = request.Http;
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "SerializationException", "The request body is not valid JSON.", ContentType);
            return;
        }
        using (body)
        {
            using var buffer = new MemoryStream();
            try
            {
                await using var writer = new Utf8JsonWriter(buffer, TrailRecordWriter.Options);
                trails.Write(writer, operation, request.Region, body.RootElement, clock.UtcNow);
            }
            catch (TrailLookupException ex)
            {
                await SandboxDispatcher.WriteJsonErrorAsync(http, 400, ex.Code, ex.Message, ContentType);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = ContentType;
            await http.Response.Body.WriteAsync(buffer.ToArray(), cancellationToken);
        }
    }
}
