using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// CloudWatch (signing name <c>monitoring</c>) over AWS JSON 1.0 (<c>X-Amz-Target: GraniteServiceVersion20100801.*</c>,
/// as the .NET client and aws CLI v1 send it) and the query protocol (<c>Action=GetMetricData&amp;Version=2010-08-01</c>,
/// XML answers, as older SDKs send it): GetMetricData and ListMetrics for the Region of the credential scope.
/// </summary>
internal sealed class CloudWatchService(CloudWatchState state) : ISandboxService
{
    private const string JsonContentType = "application/x-amz-json-1.0";
    private const string TargetPrefix = "GraniteServiceVersion20100801.";
    private static readonly XNamespace Ns = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    public string SigningName => "monitoring";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        if (request.Target is { } target)
            await HandleJsonAsync(request, target, cancellationToken);
        else if (http.Request.HasFormContentType)
            await HandleQueryAsync(request, cancellationToken);
        else
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "UnknownOperationException",
                "The sandbox's CloudWatch speaks AWS JSON 1.0 (X-Amz-Target) and the query protocol (form-encoded Action); not CBOR.", JsonContentType);
    }

    private async Task HandleJsonAsync(SandboxRequest request, string target, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : "";
        try
        {
            var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellationToken) as JsonObject ?? [];
            JsonObject response = operation switch
            {
                "GetMetricData" => GetMetricDataJson(request.Region, body),
                "ListMetrics" => ListMetricsJson(request.Region, body),
                _ => throw new CloudWatchException("InvalidAction", "UnknownOperationException", $"The sandbox's CloudWatch does not serve {target}."),
            };
            http.Response.ContentType = JsonContentType;
            await http.Response.WriteAsync(response.ToJsonString(), cancellationToken);
        }
        catch (JsonException ex)
        {
            await WriteJsonErrorAsync(http, new CloudWatchException("SerializationException", "SerializationException", $"The request body is not valid JSON: {ex.Message}"));
        }
        catch (CloudWatchException ex)
        {
            await WriteJsonErrorAsync(http, ex);
        }
    }

    private async Task HandleQueryAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var pairs = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var action = form["Action"].FirstOrDefault() ?? "";
        try
        {
            var body = RequestReader.FromForm(pairs);
            XElement result = action switch
            {
                "GetMetricData" => GetMetricDataXml(request.Region, body),
                "ListMetrics" => ListMetricsXml(request.Region, body),
                "" => throw CloudWatchException.MissingParameter("The parameter Action is required."),
                _ => throw CloudWatchException.InvalidAction($"The action {action} is not valid for this web service."),
            };
            var document = new XElement(Ns + $"{action}Response", result,
                new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", request.RequestId)));
            http.Response.ContentType = "text/xml";
            await http.Response.WriteAsync(document.ToString(SaveOptions.DisableFormatting), cancellationToken);
        }
        catch (CloudWatchException ex)
        {
            http.Response.StatusCode = ex.Status;
            http.Response.ContentType = "text/xml";
            var error = new XElement(Ns + "ErrorResponse",
                new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", ex.QueryCode), new XElement(Ns + "Message", ex.Message)),
                new XElement(Ns + "RequestId", request.RequestId));
            await http.Response.WriteAsync(error.ToString(SaveOptions.DisableFormatting), cancellationToken);
        }
    }

    private JsonObject GetMetricDataJson(string region, JsonObject body)
    {
        var (results, next) = state.Metrics.GetMetricData(region, body);
        var json = new JsonObject
        {
            ["MetricDataResults"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["Id"] = r.Id,
                ["Label"] = r.Label,
                ["Timestamps"] = new JsonArray([.. r.Timestamps.Select(t => (JsonNode)JsonValue.Create(t.ToUnixTimeSeconds()))]),
                ["Values"] = new JsonArray([.. r.Values.Select(v => (JsonNode)JsonValue.Create(v))]),
                ["StatusCode"] = r.StatusCode,
                ["Messages"] = new JsonArray(),
            })]),
            ["Messages"] = new JsonArray(),
        };
        if (next is not null) json["NextToken"] = next;
        return json;
    }

    private JsonObject ListMetricsJson(string region, JsonObject body)
    {
        var (metrics, next) = state.Metrics.ListMetrics(region, body);
        var json = new JsonObject
        {
            ["Metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode)new JsonObject
            {
                ["Namespace"] = m.Namespace,
                ["MetricName"] = m.MetricName,
                ["Dimensions"] = new JsonArray([.. m.Dimensions.Select(d => (JsonNode)new JsonObject { ["Name"] = d.Key, ["Value"] = d.Value })]),
            })]),
        };
        if (next is not null) json["NextToken"] = next;
        return json;
    }

    private XElement GetMetricDataXml(string region, JsonObject body)
    {
        var (results, next) = state.Metrics.GetMetricData(region, body);
        return new XElement(Ns + "GetMetricDataResult",
            new XElement(Ns + "MetricDataResults", results.Select(r => new XElement(Ns + "member",
                new XElement(Ns + "Id", r.Id),
                new XElement(Ns + "Label", r.Label),
                new XElement(Ns + "Timestamps", r.Timestamps.Select(t => new XElement(Ns + "member", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)))),
                new XElement(Ns + "Values", r.Values.Select(v => new XElement(Ns + "member", v.ToString("R", CultureInfo.InvariantCulture)))),
                new XElement(Ns + "StatusCode", r.StatusCode),
                new XElement(Ns + "Messages")))),
            next is null ? null : new XElement(Ns + "NextToken", next),
            new XElement(Ns + "Messages"));
    }

    private XElement ListMetricsXml(string region, JsonObject body)
    {
        var (metrics, next) = state.Metrics.ListMetrics(region, body);
        return new XElement(Ns + "ListMetricsResult",
            new XElement(Ns + "Metrics", metrics.Select(m => new XElement(Ns + "member",
                new XElement(Ns + "Namespace", m.Namespace),
                new XElement(Ns + "MetricName", m.MetricName),
                new XElement(Ns + "Dimensions", m.Dimensions.Select(d => new XElement(Ns + "member",
                    new XElement(Ns + "Name", d.Key), new XElement(Ns + "Value", d.Value))))))),
            next is null ? null : new XElement(Ns + "NextToken", next));
    }

    /// <summary>AWS JSON error, with the query protocol's code in <c>x-amzn-query-error</c> as query-compatible services send it.</summary>
    private static Task WriteJsonErrorAsync(HttpContext http, CloudWatchException ex)
    {
        http.Response.Headers["x-amzn-query-error"] = $"{ex.QueryCode};Sender";
        return SandboxDispatcher.WriteJsonErrorAsync(http, ex.Status, ex.JsonType, ex.Message, JsonContentType);
    }
}
