namespace KmsDashboard.Sandbox.Kms.Demo;

/// <summary>Writes demo keys straight into the store (no HTTP, no call events), dated relative to the seed time.</summary>
internal sealed class DemoBuilder(KmsStore store, DateTimeOffset now, Random random)
{
    public DateTimeOffset DaysAgo(double days) => now.AddDays(-days);

    public KmsKey Key(string region, int daysAgo, string description, bool multiRegion = false,
        string spec = KeySpecs.SymmetricDefault, string usage = "ENCRYPT_DECRYPT", string keyManager = "CUSTOMER")
    {
        var family = new KeyFamily(KmsStore.NewKeyId(multiRegion, random), multiRegion, spec, usage, "AWS_KMS", region);
        var length = KeySpecs.MaterialLength(spec);
        if (length > 0) family.Materials.Add(KeyMaterial.Generate(length, DaysAgo(daysAgo), random));
        var key = store.AddKey(family, region, DaysAgo(daysAgo), keyManager);
        key.Description = description;
        return key;
    }

    public KmsKey Replica(KmsKey primary, string region, int daysAgo, string? description = null)
    {
        var replica = store.AddKey(primary.Family, region, DaysAgo(daysAgo));
        replica.Description = description ?? primary.Description;
        return replica;
    }

    public KmsKey AwsManaged(string region, string service, int daysAgo)
    {
        var key = Key(region, daysAgo, $"Default key that protects my {ServiceTitle(service)} data when no other key is defined", keyManager: "AWS");
        key.Policy = DefaultKeyPolicy.AwsManaged(store.AccountId, service, region);
        Alias(key, AliasRules.AwsPrefix + service, daysAgo);
        // AWS rotates its managed keys every year.
        key.Family.RotationEnabled = true;
        key.Family.RotationPeriodInDays = 365;
        key.Family.NextRotationDate = key.CreationDate.AddDays(365);
        return key;
    }

    public void Alias(KmsKey key, string name, int daysAgo) => store.AddAlias(key.Region, name, key, DaysAgo(daysAgo));

    public void Tags(KmsKey key, params (string Key, string Value)[] tags)
    {
        foreach (var (k, v) in tags) key.Tags[k] = v;
    }

    /// <summary>Automatic rotation enabled at creation with the given period, replaying the rotations already due.</summary>
    public void Rotation(KmsKey primary, int periodInDays, params int[] onDemandDaysAgo)
    {
        var family = primary.Family;
        family.RotationEnabled = true;
        family.RotationPeriodInDays = periodInDays;
        var rotations = new List<(DateTimeOffset At, string Type)>();
        var next = primary.CreationDate.AddDays(periodInDays);
        for (; next <= now; next = next.AddDays(periodInDays)) rotations.Add((next, "AUTOMATIC"));
        rotations.AddRange(onDemandDaysAgo.Select(d => (DaysAgo(d), "ON_DEMAND")));
        foreach (var (at, type) in rotations.OrderBy(r => r.At))
        {
            var material = KeyMaterial.Generate(KeySpecs.MaterialLength(family.KeySpec), at, random);
            family.Materials.Add(material);
            family.Rotations.Add(new KeyRotation(material.Id, at, type));
        }
        family.NextRotationDate = next;
        family.OnDemandRotations = onDemandDaysAgo.Length;
    }

    public void ScheduleDeletion(KmsKey key, int windowInDays, int scheduledDaysAgo)
    {
        key.PendingWindowInDays = windowInDays;
        if (key.IsPrimary && key.Family.Replicas.Any())
        {
            key.State = KeyStates.PendingReplicaDeletion;
        }
        else
        {
            key.State = KeyStates.PendingDeletion;
            key.DeletionDate = DaysAgo(scheduledDaysAgo).AddDays(windowInDays);
        }
    }

    /// <summary>A grant with an id derived from the key and the grant's name, so the demo's grant ids never change.</summary>
    public KmsGrant Grant(KmsKey key, string name, int daysAgo, string grantee, string[] operations, string? retiring = null,
        Dictionary<string, string>? contextSubset = null)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{key.Arn}|{name}")));
        var grant = new KmsGrant(id, name, DaysAgo(daysAgo), grantee, retiring, $"arn:aws:iam::{store.AccountId}:root", operations,
            contextSubset is null ? null : new Dictionary<string, string>(contextSubset, StringComparer.OrdinalIgnoreCase), null);
        key.Grants.Add(grant);
        return grant;
    }

    public void LastUsed(KmsKey key, string operation, double hoursAgo) =>
        key.LastUsage = new KeyLastUsage(operation, now.AddHours(-hoursAgo), Guid(), Guid());

    private string Guid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    private static string ServiceTitle(string service) => service switch
    {
        "ebs" => "EBS",
        "s3" => "S3",
        "rds" => "RDS",
        "lambda" => "Lambda",
        "secretsmanager" => "Secrets Manager",
        _ => service,
    };
}
