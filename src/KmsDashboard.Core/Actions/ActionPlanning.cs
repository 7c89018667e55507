using Amazon.KeyManagementService;
using Amazon.Runtime;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// What an action's <see cref="KeyAction.PlanAsync"/> works with: the validated key id and Region, fresh reads, and the
/// plan being filled (problems, notes, blast radius, the exact calls).
/// </summary>
internal sealed class ActionPlanning(PlanBuilder builder, KmsReader reader, IReadOnlyList<string> regions, IKeyDependentsRadius? dependents,
    string keyId, string region, string account = "")
{
    /// <summary>The key id (never the ARN), validated.</summary>
    public string KeyId => keyId;

    /// <summary>The Region the key was addressed in, validated.</summary>
    public string Region => region;

    /// <summary>The Regions the dashboard may address.</summary>
    public IReadOnlyList<string> Regions => regions;

    public KmsReader Reader => reader;
    public ActionPlan Plan => builder.Plan;
    public DateTimeOffset Now => builder.Now;

    /// <summary>True while nothing has been refused.</summary>
    public bool IsReady => builder.Plan.Status == PlanStatus.Ready;

    public void Refuse(string problem) => builder.Refuse(problem);
    public void Note(string note) => builder.Note(note);
    public void Blast(string line) => builder.Blast(line);
    public void Affects(string inRegion, string id) => builder.Affects(inRegion, id);
    public void ConfirmWith(string text) => builder.ConfirmWith(text);

    /// <summary>Adds the next call of the plan: where, which operation, its parameters as shown, why, and how it is sent.</summary>
    public void Call<TResponse>(string inRegion, string operation, string parameters, string purpose,
        Func<IAmazonKeyManagementService, CancellationToken, Task<TResponse>> send, bool dependsOnPreviousInRegion = false,
        bool dependsOnEarlierCalls = false)
        where TResponse : AmazonWebServiceResponse =>
        builder.Call(inRegion, operation, parameters, purpose, send, dependsOnPreviousInRegion, dependsOnEarlierCalls);

    /// <summary>Reads the addressed key; refuses when it is missing or AWS managed.</summary>
    public async Task<KeyFacts?> KeyAsync(CancellationToken ct)
    {
        var key = await reader.DescribeAsync(region, keyId, ct);
        if (key is null) Refuse($"There is no key {keyId} in {region}.");
        else if (key.IsAwsManaged) { Refuse($"{keyId} in {region} is an AWS managed key: AWS alone manages it."); return null; }
        else
        {
            ConfirmWith(key.KeyId);
            Affects(region, key.KeyId);
            Note($"{key.KeyId} in {region} is {key.State}{(key.IsPrimary ? ", the primary" : key.IsReplica ? $", a replica of the primary in {key.PrimaryRegion}" : "")}.");
        }
        return key;
    }

    /// <summary>The primary of a multi-Region key's set, read fresh (the key itself when it is the primary).</summary>
    public async Task<KeyFacts?> PrimaryAsync(KeyFacts key, CancellationToken ct)
    {
        if (!key.IsMultiRegion) { Refuse($"{key.KeyId} is a single-Region key."); return null; }
        if (key.IsPrimary) return key;
        if (key.PrimaryRegion is null) { Refuse($"The primary Region of {key.KeyId} is unknown."); return null; }
        var primary = await reader.DescribeAsync(key.PrimaryRegion, key.KeyId, ct);
        if (primary is null) Refuse($"The primary of {key.KeyId} in {key.PrimaryRegion} was not found.");
        else Affects(primary.Region, primary.KeyId);
        return primary;
    }

    /// <summary>The addressed key and its set's primary, read fresh; null (refused) when either is missing.</summary>
    public async Task<(KeyFacts Key, KeyFacts Primary)?> KeyAndPrimaryAsync(CancellationToken ct)
    {
        if (await KeyAsync(ct) is not { } key || await PrimaryAsync(key, ct) is not { } primary) return null;
        return (key, primary);
    }

    /// <summary>Replicas, aliases pointing at the key, and its last use: what the action reaches.</summary>
    public async Task BlastRadiusAsync(KeyFacts key, CancellationToken ct)
    {
        if (key.IsPrimary)
            Blast(key.ReplicaRegions.Count == 0 ? "No replicas." : $"{key.ReplicaRegions.Count} replica(s): {string.Join(", ", key.ReplicaRegions)}.");
        else if (key.IsReplica)
            Blast($"Replica of the primary in {key.PrimaryRegion}.");
        var aliases = (await reader.AliasesAsync(key.Region, ct)).Where(a => a.TargetKeyId == key.KeyId).Select(a => a.Name).ToList();
        Blast(aliases.Count == 0 ? $"No alias points at it in {key.Region}." : $"Aliases in {key.Region}: {string.Join(", ", aliases)}.");
        foreach (var alias in aliases) ConfirmWith(alias);
        Blast(await reader.LastUseAsync(key.Region, key.KeyId, Now, ct));
    }

    /// <summary>
    /// Adds what depends on the key to a destructive plan's blast radius: buckets, replication rules, grants and recent
    /// callers of the Regions the action reaches ("3 buckets, 1 replication rule, 2 grants, 14 principals … would lose access").
    /// </summary>
    public async Task DependentsRadiusAsync(IReadOnlyCollection<string>? inRegions, string consequence, CancellationToken ct)
    {
        if (dependents is null) return;
        var radius = await dependents.BlastRadiusAsync(keyId, account, inRegions, consequence, ct);
        Plan.Dependents = radius;
        Blast(radius is null
            ? "What depends on the key (buckets, replication rules, grants, recent callers) could not be read in time; check its Dependents tab."
            : radius.Summary + ".");
    }

    /// <summary>The key set's primary when its rotation can change (symmetric, AWS_KMS, Enabled); else refused and null.</summary>
    public async Task<KeyFacts?> RotatableAsync(CancellationToken ct)
    {
        if (await KeyAsync(ct) is not { } key) return null;
        var primary = key.IsMultiRegion ? await PrimaryAsync(key, ct) : key;
        if (primary is null) return null;
        if (key.IsReplica) Note($"Rotation is shared by the key set and managed on the primary, in {primary.Region}.");
        if (primary.KeySpec != "SYMMETRIC_DEFAULT") Refuse($"Only symmetric encryption keys rotate; this key is {primary.KeySpec}.");
        else if (primary.Origin != "AWS_KMS") Refuse($"Keys with imported or external key material ({primary.Origin}) cannot rotate here.");
        else if (primary.State != "Enabled") Refuse($"The key in {primary.Region} is {primary.State}; rotation can change only on an Enabled key.");
        foreach (var replicaRegion in primary.ReplicaRegions) Affects(replicaRegion, keyId);
        return IsReady ? primary : null;
    }

    /// <summary>The TagResource / UntagResource calls that make a key's tags in <paramref name="inRegion"/> exactly <paramref name="desired"/>.</summary>
    public void TagDiff(string inRegion, IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> desired)
    {
        var toSet = desired.Where(t => !current.TryGetValue(t.Key, out var v) || v != t.Value).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var toRemove = current.Keys.Where(k => !desired.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var id = keyId;
        if (toSet.Count > 0)
            Call(inRegion, "TagResource", $"KeyId={id}, Tags={FormatTags(toSet)}", $"Add or change {toSet.Count} tag(s) in {inRegion}.",
                (kms, c) => kms.TagResourceAsync(new Kms.TagResourceRequest { KeyId = id, Tags = [.. toSet.Select(t => new Kms.Tag { TagKey = t.Key, TagValue = t.Value })] }, c));
        if (toRemove.Count > 0)
            Call(inRegion, "UntagResource", $"KeyId={id}, TagKeys={string.Join(",", toRemove)}", $"Remove {toRemove.Count} tag(s) in {inRegion}.",
                (kms, c) => kms.UntagResourceAsync(new Kms.UntagResourceRequest { KeyId = id, TagKeys = toRemove }, c));
        if (toSet.Count == 0 && toRemove.Count == 0) Note($"{inRegion}: the tags already are as asked.");
    }

    /// <summary>Enabled or Disabled: not in a transition and not pending deletion.</summary>
    public static bool Settled(KeyFacts key) => key.State is "Enabled" or "Disabled";

    public static string FormatTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var list = tags.Select(t => $"{t.Key}={t.Value}").ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }

    /// <summary>An AWS failure as the plan shows it.</summary>
    public static string Describe(Exception ex) => KeyOperations.Describe(ex);

    /// <summary>Whether <paramref name="ex"/> is a failed read that should skip one Region rather than the whole plan.</summary>
    public static bool IsReadFailure(Exception ex) => ex is AmazonServiceException or AmazonClientException or HttpRequestException;
}
