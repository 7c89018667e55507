using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>ReplicateKey and UpdatePrimaryRegion: the multi-Region operations, with their Creating/Updating transitions.</summary>
internal static partial class MultiRegionOperations
{
    [GeneratedRegex(@"^([a-z]+-){2,3}\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    public static IEnumerable<KmsOperation> All =>
    [
        new("ReplicateKey", false, ReplicateKey),
        new("UpdatePrimaryRegion", false, UpdatePrimaryRegion),
    ];

    private static string RegionMember(KmsCallContext ctx, string member)
    {
        var region = ctx.RequiredString(member, 1, 32);
        if (!RegionPattern().IsMatch(region)) throw KmsErrors.Validation(member, region, @"Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\d+$");
        return region;
    }

    private static JsonObject ReplicateKey(KmsCallContext ctx)
    {
        var primary = ctx.Key();
        var replicaRegion = RegionMember(ctx, "ReplicaRegion");
        var policy = ctx.String("Policy", 1, 131072);
        if (policy is not null) { PolicyRules.Check(policy); ctx.CheckLockout(policy); }
        var description = ctx.String("Description", 0, 8192) ?? "";
        var tags = ctx.Tags() ?? [];
        var family = primary.Family;
        if (!family.MultiRegion) throw KmsErrors.Unsupported($"{primary.Arn} is not a multi-Region key.");
        if (primary.IsReplica) throw KmsErrors.Unsupported($"{primary.Arn} is not a multi-Region primary key. Only a primary key can be replicated.");
        if (primary.State == KeyStates.Disabled) throw KmsErrors.Disabled(primary);
        if (primary.State != KeyStates.Enabled) throw KmsErrors.InvalidState(primary);
        if (family.Members.Any(m => m.Region == replicaRegion) || ctx.Store.Find(replicaRegion, family.KeyId) is not null)
            throw KmsErrors.AlreadyExists($"Replica key {ctx.Store.KeyArn(replicaRegion, family.KeyId)} already exists.");

        var replica = ctx.Store.AddKey(family, replicaRegion, ctx.Now);
        replica.Description = description;
        if (policy is not null) replica.Policy = policy;
        TagRules.Apply(replica, tags);
        BeginTransition(replica, KeyStates.Creating, KeyStates.Enabled, ctx.Now + ctx.Store.Options.ReplicaCreationDuration);
        ctx.Touch(replica);
        // AWS records the replica's creation in the replica's Region as well.
        ctx.Events.Add(ctx.Event(replicaRegion, "CreateKey", [replica.Arn]));
        return new JsonObject
        {
            ["ReplicaKeyMetadata"] = KmsJson.Metadata(replica),
            ["ReplicaPolicy"] = replica.Policy,
            ["ReplicaTags"] = KmsJson.TagList(replica.Tags),
        };
    }

    private static JsonObject? UpdatePrimaryRegion(KmsCallContext ctx)
    {
        var primary = ctx.Key();
        var target = RegionMember(ctx, "PrimaryRegion");
        var family = primary.Family;
        if (!family.MultiRegion) throw KmsErrors.Unsupported($"{primary.Arn} is not a multi-Region key.");
        if (primary.IsReplica) throw KmsErrors.Unsupported($"{primary.Arn} is not the primary key; call UpdatePrimaryRegion on the primary key in {family.PrimaryRegion}.");
        if (target == primary.Region) throw KmsErrors.Unsupported($"{primary.Arn} is already the primary key in {target}.");
        var replica = family.Members.FirstOrDefault(m => m.Region == target)
                      ?? throw KmsErrors.NotFound($"{primary.Arn} has no replica key in {target}.");
        ctx.Touch(replica);
        if (primary.State == KeyStates.Disabled) throw KmsErrors.Disabled(primary);
        if (primary.State != KeyStates.Enabled) throw KmsErrors.InvalidState(primary);
        if (replica.State is not (KeyStates.Enabled or KeyStates.Disabled)) throw KmsErrors.InvalidState(replica);

        family.PrimaryRegion = target;
        var ends = ctx.Now + ctx.Store.Options.PrimaryRegionUpdateDuration;
        BeginTransition(primary, KeyStates.Updating, primary.State, ends);
        BeginTransition(replica, KeyStates.Updating, replica.State, ends);
        ctx.Events.Add(ctx.Event(target, "UpdatePrimaryRegion", [primary.Arn, replica.Arn]));
        return null;
    }

    private static void BeginTransition(KmsKey key, string during, string after, DateTimeOffset ends)
    {
        key.StateAfterTransition = after;
        key.State = during;
        key.TransitionEnds = ends;
    }
}
