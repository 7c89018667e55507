using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>Automatic and on-demand rotation, rotation status and history. Settings live on the primary and are shared.</summary>
internal static class RotationOperations
{
    public const int MaxOnDemandRotations = 25;
    private static readonly TimeSpan ConflictWindow = TimeSpan.FromMinutes(20);

    public static IEnumerable<KmsOperation> All =>
    [
        new("EnableKeyRotation", false, EnableKeyRotation),
        new("DisableKeyRotation", false, DisableKeyRotation),
        new("GetKeyRotationStatus", true, GetKeyRotationStatus),
        new("RotateKeyOnDemand", false, RotateKeyOnDemand),
        new("ListKeyRotations", true, ListKeyRotations),
    ];

    private static KmsKey RotationTarget(KmsCallContext ctx, string action)
    {
        var key = ctx.Key();
        KeyGuards.Rotatable(key);
        KeyGuards.CustomerManaged(key, action, ctx.AccountId);
        KeyGuards.Primary(key);
        if (key.State == KeyStates.Disabled) throw KmsErrors.Disabled(key);
        if (key.State != KeyStates.Enabled) throw KmsErrors.InvalidState(key);
        return key;
    }

    private static JsonObject? EnableKeyRotation(KmsCallContext ctx)
    {
        var period = ctx.Int("RotationPeriodInDays", 90, 2560) ?? 365;
        var key = RotationTarget(ctx, "EnableKeyRotation");
        var family = key.Family;
        if (family.RotationEnabled)
        {
            // A new period on an enabled key counts from the last rotation (or the key's creation), as in KMS.
            var since = family.Rotations.Count > 0 ? family.Rotations[^1].RotationDate : family.Members.Min(m => m.CreationDate);
            var next = since.AddDays(period);
            family.NextRotationDate = next > ctx.Now ? next : ctx.Now;
        }
        else
        {
            family.NextRotationDate = ctx.Now.AddDays(period);
        }
        family.RotationEnabled = true;
        family.RotationPeriodInDays = period;
        KmsTimeline.Synchronize(ctx.Store, family, ctx.Now, ctx.Events);
        return null;
    }

    private static JsonObject? DisableKeyRotation(KmsCallContext ctx)
    {
        var key = RotationTarget(ctx, "DisableKeyRotation");
        var family = key.Family;
        family.RotationEnabled = false;
        family.NextRotationDate = null;
        KmsTimeline.Synchronize(ctx.Store, family, ctx.Now, ctx.Events);
        return null;
    }

    private static JsonObject GetKeyRotationStatus(KmsCallContext ctx)
    {
        var key = ctx.Key();
        KeyGuards.Rotatable(key);
        var family = key.Family;
        var result = new JsonObject { ["KeyRotationEnabled"] = family.RotationEnabled, ["KeyId"] = key.Arn };
        if (family.RotationEnabled)
        {
            result["RotationPeriodInDays"] = family.RotationPeriodInDays ?? 365;
            if (family.NextRotationDate is { } next) result["NextRotationDate"] = KmsJson.Epoch(next);
        }
        return result;
    }

    private static JsonObject RotateKeyOnDemand(KmsCallContext ctx)
    {
        var key = ctx.Key();
        KeyGuards.Rotatable(key);
        if (key.AwsManaged) throw KmsErrors.Unsupported($"{key.Arn} is an AWS managed key; KMS rotates it every year and it cannot be rotated on demand.");
        KeyGuards.Primary(key);
        if (key.State == KeyStates.Disabled) throw KmsErrors.Disabled(key);
        if (key.State != KeyStates.Enabled) throw KmsErrors.InvalidState(key);
        var family = key.Family;
        if (family.OnDemandRotations >= MaxOnDemandRotations)
            throw KmsErrors.LimitExceeded($"{key.Arn} has reached the maximum of {MaxOnDemandRotations} on-demand rotations.");
        if (family.RotationEnabled && family.NextRotationDate is { } next && next - ctx.Now <= ConflictWindow)
            throw KmsErrors.Conflict($"An automatic rotation of {key.Arn} is scheduled to begin within the next 20 minutes.");
        family.OnDemandRotations++;
        KmsTimeline.Rotate(ctx.Store, family, ctx.Now, "ON_DEMAND", ctx.Events);
        return new JsonObject { ["KeyId"] = key.KeyId };
    }

    private static JsonObject ListKeyRotations(KmsCallContext ctx)
    {
        var key = ctx.Key();
        KeyGuards.Rotatable(key);
        var rotations = key.Family.Rotations.Select((r, i) => (Rotation: r, Index: i));
        var page = Paging.Take(rotations, r => r.Index.ToString("D6"), ctx.Int("Limit", 1, 1000), 1000, 100, ctx.String("Marker", 1, 1024));
        var result = new JsonObject
        {
            ["Rotations"] = new JsonArray([.. page.Items.Select(r => (JsonNode?)new JsonObject
            {
                ["KeyId"] = key.KeyId,
                ["KeyMaterialId"] = r.Rotation.KeyMaterialId,
                ["RotationDate"] = KmsJson.Epoch(r.Rotation.RotationDate),
                ["RotationType"] = r.Rotation.RotationType,
            })]),
            ["Truncated"] = page.Truncated,
        };
        if (page.NextMarker is not null) result["NextMarker"] = page.NextMarker;
        return result;
    }
}
