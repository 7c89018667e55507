using System.Text.Json;
using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// KMS over AWS JSON 1.1 (<c>X-Amz-Target: TrentService.&lt;Operation&gt;</c>): reads the body, applies the request
/// quota, runs the operation against the store, answers, and records the call (and the events AWS raises with it).
/// </summary>
internal sealed class KmsService(KmsStore store, KmsQuotas quotas, SandboxOptions options) : ISandboxService
{
    private const string ContentType = "application/x-amz-json-1.1";
    private const string TargetPrefix = "TrentService.";
    private static readonly string[] Secrets = ["Plaintext", "CiphertextBlob", "CiphertextForRecipient", "GrantToken"];

    public string SigningName => "kms";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var target = request.Target ?? "";
        var name = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        if (!KmsOperationTable.ByName.TryGetValue(name, out var operation))
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "UnknownOperationException", $"Unknown operation {target}");
            return;
        }

        var events = new List<SandboxCall>();
        JsonObject? body = null;
        JsonObject? response = null;
        KmsException? error = null;
        KmsCallContext? ctx = null;
        var now = store.Clock.UtcNow;
        try
        {
            body = await ReadBodyAsync(http.Request.Body, cancellationToken);
            if (options.EnforceQuotas && !quotas.TryAcquire(request.Region, operation)) throw KmsErrors.Throttling();
            lock (store.Gate)
            {
                store.RunDueLocked(now, events);
                ctx = new KmsCallContext(store, request.Region, body, now, request, operation: operation.Name);
                try
                {
                    response = operation.Handle(ctx) ?? [];
                }
                finally
                {
                    if (!operation.ReadOnly) store.MarkChanged();
                }
            }
        }
        catch (KmsException ex)
        {
            error = ex;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            // A JSON member of the wrong type (e.g. a number where a string belongs).
            error = KmsErrors.Serialization($"The request body does not match the {operation.Name} input shape: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = new KmsException("KMSInternalException", $"The sandbox failed on {operation.Name}: {ex.Message}", 500);
        }

        events.Add(Record(request, operation, now, body, response, error, ctx));
        if (ctx is not null && error is null) events.AddRange(ctx.Events);
        store.Publish(events);

        http.Response.ContentType = ContentType;
        if (error is not null)
        {
            await SandboxDispatcher.WriteJsonErrorAsync(http, error.Status, error.Code, error.Message);
            return;
        }
        await http.Response.WriteAsync(response!.ToJsonString(), cancellationToken);
    }

    private static async Task<JsonObject> ReadBodyAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw KmsErrors.Serialization("The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw KmsErrors.Serialization($"The request body is not valid JSON: {ex.Message}");
        }
    }

    private static SandboxCall Record(SandboxRequest request, KmsOperation operation, DateTimeOffset now, JsonObject? body,
        JsonObject? response, KmsException? error, KmsCallContext? ctx) => new()
    {
        Time = now,
        Region = request.Region,
        Service = "kms",
        Operation = operation.Name,
        RequestId = request.RequestId,
        EventId = ctx?.EventId ?? Guid.NewGuid().ToString(),
        AccessKeyId = request.AccessKeyId,
        SourceIp = request.SourceIp,
        UserAgent = request.UserAgent ?? "",
        ReadOnly = operation.ReadOnly,
        RequestParameters = WithoutSecrets(body),
        ResponseElements = operation.ReadOnly || error is not null ? null : WithoutSecrets(response),
        ErrorCode = error?.Code,
        ErrorMessage = error?.Message,
        Resources = ctx?.Resources.ToArray() ?? [],
    };

    private static JsonObject? WithoutSecrets(JsonObject? json)
    {
        if (json is null) return null;
        if (!Secrets.Any(json.ContainsKey)) return json; // the call is done with it: no copy needed
        var copy = (JsonObject)json.DeepClone();
        foreach (var secret in Secrets) copy.Remove(secret);
        return copy;
    }
}
