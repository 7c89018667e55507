using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Amazon.KeyManagementService;
using Amazon.Runtime;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// The SDK request a planned call will send, as JSON (e.g. <c>{"KeyId":"mrk-…","PendingWindowInDays":7}</c>): read by
/// running the call's send function against a client that records the request and sends nothing. The journal keeps
/// it with the plan, so a crash is reconciled from the exact values sent rather than from the parameter text shown.
/// </summary>
internal static class PlannedRequest
{
    /// <summary>The request <paramref name="send"/> makes, or null when it cannot be told (no request, or more than one).</summary>
    public static JsonObject? Capture(Func<IAmazonKeyManagementService, CancellationToken, Task> send)
    {
        var recorder = DispatchProxy.Create<IAmazonKeyManagementService, RecordingClient>();
        var recorded = ((RecordingClient)(object)recorder).Requests;
        try
        {
            // The recorder answers every call at once, so the send function completes synchronously.
            var task = send(recorder, CancellationToken.None);
            if (!task.IsCompleted) return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
        return recorded.Count == 1 ? ToJson(recorded[0]) : null;
    }

    /// <summary>The request's own public properties that are set, by their SDK names.</summary>
    internal static JsonObject ToJson(AmazonWebServiceRequest request)
    {
        var json = new JsonObject();
        foreach (var property in request.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetValue(request) is not { } value) continue;
            if (Node(value) is { } node) json[property.Name] = node;
        }
        return json;
    }

    private static JsonNode? Node(object value) => value switch
    {
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        DateTime t => JsonValue.Create(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        ConstantClass c => JsonValue.Create(c.Value),
        Stream => null, // plaintext or ciphertext: never journaled (the actions send none)
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, map[k] is { } v ? Node(v) : null))),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(v => v is null ? null : Node(v))]),
        _ => Members(value),
    };

    /// <summary>A nested shape (e.g. a Tag) by its public properties.</summary>
    private static JsonObject Members(object value)
    {
        var json = new JsonObject();
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetIndexParameters().Length == 0 && property.GetValue(value) is { } v && Node(v) is { } node) json[property.Name] = node;
        return json;
    }

    /// <summary>An <see cref="IAmazonKeyManagementService"/> that records each request and answers with an empty response.</summary>
    public class RecordingClient : DispatchProxy
    {
        internal List<AmazonWebServiceRequest> Requests { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (args?.OfType<AmazonWebServiceRequest>().FirstOrDefault() is { } request) Requests.Add(request);
            var returns = targetMethod?.ReturnType ?? typeof(void);
            if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var answer = returns.GetGenericArguments()[0];
                var empty = answer.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(answer) : null;
                return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(answer).Invoke(null, [empty]);
            }
            if (returns == typeof(Task)) return Task.CompletedTask;
            return returns.IsValueType && returns != typeof(void) ? Activator.CreateInstance(returns) : null;
        }
    }
}
