using System.Text.Json;
using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// One KMS call being served: the request body with typed, validating readers, the store (already locked), and what
/// the call produced for the call log (touched key ARNs, extra events AWS records for it).
/// </summary>
internal sealed class KmsCallContext(KmsStore store, string region, JsonObject body, DateTimeOffset now, SandboxRequest? request, string? requestId = null,
    string? operation = null)
{
    public KmsStore Store { get; } = store;
    public string Region { get; } = region;
    public JsonObject Body { get; } = body;
    public DateTimeOffset Now { get; } = now;
    public SandboxRequest? Request { get; } = request;
    public string RequestId { get; } = request?.RequestId ?? requestId ?? Guid.NewGuid().ToString();
    /// <summary>The CloudTrail event id this call is recorded under (GetKeyLastUsage reports it).</summary>
    public string EventId { get; } = Guid.NewGuid().ToString();
    public string AccountId => Store.AccountId;
    /// <summary>The operation a caller asked for directly (null when a service such as S3 calls on someone's behalf).</summary>
    public string? Operation { get; } = operation;

    public List<string> Resources { get; } = [];
    /// <summary>Events recorded besides the call itself (ReplicateKey's CreateKey in the replica Region, syncs…).</summary>
    public List<SandboxCall> Events { get; } = [];

    public void Touch(KmsKey key)
    {
        if (!Resources.Contains(key.Arn)) Resources.Add(key.Arn);
    }

    /// <summary>
    /// Resolves a key of this Region, recording it as a resource of the call, and checks that the key's policy lets the
    /// caller perform the operation on it (customer managed keys; AWS managed keys keep their fixed rules).
    /// </summary>
    public KmsKey Key(string member = "KeyId", bool allowAlias = false)
    {
        var key = Store.Resolve(Region, RequiredString(member), allowAlias);
        Touch(key);
        if (Request is not null && Operation is not null && !key.AwsManaged && Operation != "ListAliases")
        {
            // ReEncrypt needs ReEncryptFrom on its source key and ReEncryptTo on its destination; every other key-scoped operation names its own action.
            var action = Operation != "ReEncrypt" ? $"kms:{Operation}" : member == "DestinationKeyId" ? "kms:ReEncryptTo" : "kms:ReEncryptFrom";
            var caller = Request.Principal.Caller(AccountId);
            KeyPolicyAccess.Demand(key.Policy, AccountId, caller, action, key.Arn);
        }
        return key;
    }

    /// <summary>
    /// KMS's policy lockout safety check: a new key policy must let the caller change it again (PutKeyPolicy), unless the
    /// request sets <c>BypassPolicyLockoutSafetyCheck</c>.
    /// </summary>
    public void CheckLockout(string policy)
    {
        if (Request is null || Operation is null || Bool("BypassPolicyLockoutSafetyCheck") == true) return;
        var caller = Request.Principal.Caller(AccountId);
        if (KeyPolicyAccess.Evaluate(policy, AccountId, caller, "kms:PutKeyPolicy") != KeyPolicyAccess.Decision.Allowed)
            throw KmsErrors.MalformedPolicy("The new key policy will not allow you to update the key policy in the future.");
    }

    public string? String(string member, int min = 0, int max = int.MaxValue)
    {
        var node = Body[member];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.String)
            throw KmsErrors.Serialization($"Expected a string for {member}.");
        var value = node.GetValue<string>();
        if (value.Length < min) throw KmsErrors.Validation(member, value, $"Member must have length greater than or equal to {min}");
        if (value.Length > max) throw KmsErrors.Validation(member, value, $"Member must have length less than or equal to {max}");
        return value;
    }

    public string RequiredString(string member, int min = 1, int max = 2048) => String(member, min, max) ?? throw KmsErrors.Required(member);

    public int? Int(string member, int min, int max)
    {
        var node = Body[member];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var value))
            throw KmsErrors.Serialization($"Expected an integer for {member}.");
        if (value < min) throw KmsErrors.Validation(member, value, $"Member must have value greater than or equal to {min}");
        if (value > max) throw KmsErrors.Validation(member, value, $"Member must have value less than or equal to {max}");
        return value;
    }

    public bool? Bool(string member)
    {
        var node = Body[member];
        if (node is null) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw KmsErrors.Serialization($"Expected a boolean for {member}."),
        };
    }

    public byte[]? Bytes(string member, int min, int max)
    {
        var text = String(member);
        if (text is null) return null;
        byte[] bytes;
        try { bytes = Convert.FromBase64String(text); }
        catch (FormatException) { throw KmsErrors.Serialization($"{member} is not valid base64."); }
        if (bytes.Length < min) throw KmsErrors.Validation(member, "[binary]", $"Member must have length greater than or equal to {min}");
        if (bytes.Length > max) throw KmsErrors.Validation(member, "[binary]", $"Member must have length less than or equal to {max}");
        return bytes;
    }

    public Dictionary<string, string>? Map(string member)
    {
        if (Body[member] is not JsonObject obj) return Body[member] is null ? null : throw KmsErrors.Serialization($"Expected a map for {member}.");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
            map[key] = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw KmsErrors.Serialization($"Expected string values in {member}.");
        return map;
    }

    public List<string>? Strings(string member)
    {
        if (Body[member] is not JsonArray array) return Body[member] is null ? null : throw KmsErrors.Serialization($"Expected a list for {member}.");
        return [.. array.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : throw KmsErrors.Serialization($"Expected strings in {member}."))];
    }

    /// <summary>Reads and validates a <c>Tags</c> list of <c>{TagKey, TagValue}</c>.</summary>
    public List<KeyValuePair<string, string>>? Tags(string member = "Tags")
    {
        if (Body[member] is not JsonArray array) return Body[member] is null ? null : throw KmsErrors.Serialization($"Expected a list for {member}.");
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var item in array)
        {
            var key = item?["TagKey"]?.GetValue<string>() ?? throw KmsErrors.Required("TagKey");
            var value = item["TagValue"]?.GetValue<string>() ?? throw KmsErrors.Required("TagValue");
            TagRules.Check(key, value);
            tags.Add(new(key, value));
        }
        return tags;
    }

    /// <summary>An event AWS records besides this call, in the given Region.</summary>
    public SandboxCall Event(string region, string operation, IEnumerable<string> resources, string eventType = "AwsApiCall", bool readOnly = false) => new()
    {
        Time = Now,
        Region = region,
        Service = "kms",
        Operation = operation,
        RequestId = Guid.NewGuid().ToString(),
        AccessKeyId = eventType == "AwsServiceEvent" ? "" : Request?.AccessKeyId ?? "",
        SourceIp = eventType == "AwsServiceEvent" ? "kms.amazonaws.com" : Request?.SourceIp ?? "127.0.0.1",
        UserAgent = eventType == "AwsServiceEvent" ? "kms.amazonaws.com" : Request?.UserAgent ?? "",
        ReadOnly = readOnly,
        Resources = [.. resources],
        EventType = eventType,
    };
}
