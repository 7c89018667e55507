using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// What happens to keys by itself as sandbox time passes: Creating and Updating end, keys past their deletion date
/// are deleted (which may start a waiting primary's window), and scheduled automatic rotations run. Events are dated
/// when they fell due, so a clock jump of months replays them in order.
/// </summary>
internal static class KmsTimeline
{
    public static void Run(KmsStore store, DateTimeOffset now, List<SandboxCall> events)
    {
        for (var pass = 0; pass < 100; pass++)
        {
            var changed = false;
            foreach (var key in store.AllKeys.ToList())
            {
                if (key.TransitionEnds is { } ends && ends <= now)
                {
                    key.State = key.StateAfterTransition;
                    key.TransitionEnds = null;
                    changed = true;
                }
                if (key.State == KeyStates.PendingDeletion && key.DeletionDate is { } due && due <= now)
                {
                    Delete(store, key, due, events);
                    changed = true;
                }
            }
            foreach (var family in store.AllKeys.Select(k => k.Family).Distinct().ToList())
            {
                while (family.RotationEnabled && family.NextRotationDate is { } next && next <= now
                       && family.Primary is { State: KeyStates.Enabled } primary)
                {
                    Rotate(store, family, next, "AUTOMATIC", events);
                    events.Add(ServiceEvent(primary.Region, "RotateKey", [primary.Arn], next));
                    family.NextRotationDate = next.AddDays(family.RotationPeriodInDays ?? 365);
                    changed = true;
                }
            }
            if (!changed) return;
        }
    }

    /// <summary>
    /// The earliest time at which <see cref="Run"/> would change anything, as the keys stand (a Creating/Updating end, a
    /// deletion date, an enabled primary's next rotation); <see cref="DateTimeOffset.MaxValue"/> when nothing is scheduled.
    /// </summary>
    public static DateTimeOffset NextDue(KmsStore store)
    {
        var next = DateTimeOffset.MaxValue;
        foreach (var key in store.AllKeys)
        {
            if (key.TransitionEnds is { } ends && ends < next) next = ends;
            if (key.State == KeyStates.PendingDeletion && key.DeletionDate is { } due && due < next) next = due;
            if (key.Family.Primary == key && key.State == KeyStates.Enabled && key.Family.RotationEnabled
                && key.Family.NextRotationDate is { } rotation && rotation < next) next = rotation;
        }
        return next;
    }

    /// <summary>New key material for every related key; old material stays so old ciphertext still decrypts.</summary>
    public static KeyMaterial Rotate(KmsStore store, KeyFamily family, DateTimeOffset at, string rotationType, List<SandboxCall> events)
    {
        var material = KeyMaterial.Generate(KeySpecs.MaterialLength(family.KeySpec), at);
        family.Materials.Add(material);
        family.Rotations.Add(new KeyRotation(material.Id, at, rotationType));
        Synchronize(store, family, at, events);
        return material;
    }

    /// <summary>AWS logs SynchronizeMultiRegionKey in each replica's Region when shared properties change.</summary>
    public static void Synchronize(KmsStore store, KeyFamily family, DateTimeOffset at, List<SandboxCall> events)
    {
        if (!family.MultiRegion) return;
        foreach (var replica in family.Replicas)
            events.Add(ServiceEvent(replica.Region, "SynchronizeMultiRegionKey", [replica.Arn], at));
    }

    private static void Delete(KmsStore store, KmsKey key, DateTimeOffset at, List<SandboxCall> events)
    {
        var family = key.Family;
        store.DeleteKey(key);
        events.Add(ServiceEvent(key.Region, "DeleteKey", [key.Arn], at));
        if (family.MultiRegion && family.Primary is { State: KeyStates.PendingReplicaDeletion } primary && !family.Replicas.Any())
        {
            primary.State = KeyStates.PendingDeletion;
            primary.DeletionDate = at.AddDays(primary.PendingWindowInDays ?? 30);
        }
    }

    public static SandboxCall ServiceEvent(string region, string operation, IReadOnlyList<string> resources, DateTimeOffset at) => new()
    {
        Time = at,
        Region = region,
        Service = "kms",
        Operation = operation,
        RequestId = Guid.NewGuid().ToString(),
        SourceIp = "kms.amazonaws.com",
        UserAgent = "kms.amazonaws.com",
        Resources = resources,
        EventType = "AwsServiceEvent",
    };
}
