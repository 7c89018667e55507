using Amazon.KeyManagementService;
using Amazon.Runtime;

namespace KmsDashboard.Core.Actions;

/// <summary>One AWS call a plan will make: where, which operation, with what, and why.</summary>
public sealed record PlannedCall(int Step, string Region, string Operation, string Parameters, string Purpose)
{
    internal Func<IAmazonKeyManagementService, CancellationToken, Task<AmazonWebServiceResponse>> Send { get; init; } = null!;

    /// <summary>The SDK request <see cref="Send"/> sends, as JSON (<see cref="PlannedRequest"/>); null when it could not be read.</summary>
    internal System.Text.Json.Nodes.JsonObject? Request { get; init; }

    /// <summary>The key the call addresses: the request's KeyId (or an alias call's TargetKeyId), else <paramref name="fallback"/>.</summary>
    internal string KeyIdOr(string fallback) =>
        (Request?["KeyId"] ?? Request?["TargetKeyId"]) is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var id) ? id : fallback;

    /// <summary>Skip this call when the previous call in the same Region failed (e.g. re-enable after cancel).</summary>
    internal bool DependsOnPreviousInRegion { get; init; }

    /// <summary>Skip this call unless every call before it succeeded (e.g. the primary's deletion after its replicas').</summary>
    internal bool DependsOnEarlierCalls { get; init; }
}
