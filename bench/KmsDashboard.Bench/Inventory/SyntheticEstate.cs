using System.Text.Json.Nodes;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// A snapshot of N keys shaped like a real estate: half in key sets of 3 Regions, aliases, four tags, descriptions,
/// and key policies of realistic size (one default text shared, as the reader's pool makes it, and one key in ten with its own).
/// </summary>
internal static class SyntheticEstate
{
    public static InventorySnapshot Snapshot(int keys)
    {
        var regions = BenchEstate.Regions;
        var byRegion = regions.ToDictionary(r => r, _ => new List<RegionalKey>());
        var defaultPolicy = Policy("111122223333", null);
        var made = 0;
        for (var i = 0; made < keys; i++)
        {
            var multi = i % 2 == 0;
            var home = i % regions.Length;
            var id = multi ? $"mrk-{i:x32}" : new Guid(i, 0, 0, new byte[8]).ToString();
            var members = multi ? new[] { home, (home + 3) % regions.Length, (home + 6) % regions.Length } : [home];
            foreach (var (m, index) in members.Select((m, index) => (m, index)))
            {
                if (made == keys) break;
                var region = regions[m];
                byRegion[region].Add(new RegionalKey
                {
                    Region = region,
                    KeyId = id,
                    Arn = $"arn:aws:kms:{region}:111122223333:key/{id}",
                    State = "Enabled",
                    Enabled = true,
                    Description = $"Synthetic key {i} for service {i % 97}",
                    KeySpec = "SYMMETRIC_DEFAULT",
                    KeyUsage = "ENCRYPT_DECRYPT",
                    Origin = "AWS_KMS",
                    CreationDate = DateTimeOffset.UtcNow.AddDays(-i % 365),
                    Role = !multi ? MultiRegionRole.None : index == 0 ? MultiRegionRole.Primary : MultiRegionRole.Replica,
                    PrimaryRegion = multi ? regions[home] : null,
                    ReplicaRegions = multi ? [regions[members[1]], regions[members[2]]] : [],
                    Aliases = [$"alias/service-{i}"],
                    Tags = new Dictionary<string, string> { ["Team"] = $"team-{i % 13}", ["Environment"] = "prod", ["CostCenter"] = $"CC-{i % 50}", ["Service"] = $"svc-{i % 97}" },
                    Policy = i % 10 == 0 ? Policy("111122223333", $"role-{i}") : defaultPolicy,
                    Rotation = new KeyRotationInfo(true, i % 3 != 0, 365, DateTimeOffset.UtcNow.AddDays(i % 365)),
                    LastUse = new KeyLastUse("Decrypt", DateTimeOffset.UtcNow.AddHours(-i % 500), DateTimeOffset.UtcNow.AddYears(-1)),
                });
                made++;
            }
        }
        return InventorySnapshot.Create(regions,
            byRegion.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<RegionalKey>)kv.Value),
            regions.ToDictionary(r => r, r => new RegionReadStatus(r, DateTimeOffset.UtcNow, KeyCount: byRegion[r].Count)),
            DateTimeOffset.UtcNow);
    }

    private static string Policy(string account, string? extraRole)
    {
        var statements = new JsonArray(
            new JsonObject { ["Sid"] = "Enable IAM User Permissions", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:root" }, ["Action"] = "kms:*", ["Resource"] = "*" },
            new JsonObject { ["Sid"] = "Allow administration", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:role/KeyAdmins" },
                ["Action"] = new JsonArray("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"), ["Resource"] = "*" });
        if (extraRole is not null)
            statements.Add(new JsonObject { ["Sid"] = "Allow use", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:role/{extraRole}" }, ["Action"] = new JsonArray("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"), ["Resource"] = "*" });
        return new JsonObject { ["Version"] = "2012-10-17", ["Id"] = "key-default-1", ["Statement"] = statements }.ToJsonString();
    }
}
