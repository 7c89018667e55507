using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Demo;

/// <summary>
/// The demo's member account (demo-payments, 444455556666), smaller than the management account's estate and in three
/// of its Regions: multi-Region key sets with replicas, single-Region keys, aliases, AWS managed keys, and a few keys
/// the Findings page should flag (rotation off on the settlement ledger, a key the security account may decrypt with,
/// a disabled key still named by an alias). Deterministic, dated relative to the seed time.
/// </summary>
internal static class PaymentsAccount
{
    public const string UsEast1 = DemoAccount.UsEast1, EuWest1 = DemoAccount.EuWest1, ApSoutheast1 = DemoAccount.ApSoutheast1;

    public static readonly IReadOnlyList<string> Regions = [UsEast1, EuWest1, ApSoutheast1];

    public static void Seed(KmsStore store, DateTimeOffset now)
    {
        var demo = new DemoBuilder(store, now, new Random(20_260_202));
        var account = store.AccountId;

        // card-vault: primary in us-east-1, replicas in eu-west-1 and ap-southeast-1, yearly rotation.
        var vault = demo.Key(UsEast1, 300, "Card vault tokenization key", multiRegion: true);
        var vaultEu = demo.Replica(vault, EuWest1, 290);
        var vaultApac = demo.Replica(vault, ApSoutheast1, 150);
        demo.Rotation(vault, 365, 60);
        foreach (var key in new[] { vault, vaultEu, vaultApac })
        {
            demo.Tags(key, ("Environment", "prod"), ("Team", "card-platform"), ("DataClass", "pci"), ("Owner", "card-platform-team"));
            demo.Alias(key, "alias/card-vault", (int)(now - key.CreationDate).TotalDays);
        }
        demo.LastUsed(vault, "Decrypt", 1);

        // settlement-ledger: primary in eu-west-1 with a us-east-1 replica; rotation never turned on.
        var ledger = demo.Key(EuWest1, 260, "Settlement ledger encryption", multiRegion: true);
        var ledgerUs = demo.Replica(ledger, UsEast1, 240);
        foreach (var key in new[] { ledger, ledgerUs })
        {
            demo.Tags(key, ("Environment", "prod"), ("Team", "settlements"));
            demo.Alias(key, "alias/settlement-ledger", (int)(now - key.CreationDate).TotalDays);
        }

        // Single-Region keys.
        var fraud = demo.Key(UsEast1, 120, "Fraud scoring features");
        demo.Alias(fraud, "alias/fraud-scoring", 120);
        demo.Rotation(fraud, 180);
        demo.Tags(fraud, ("Environment", "prod"), ("Team", "risk"));

        var payouts = demo.Key(EuWest1, 200, "Payout instruction signing", spec: "ECC_NIST_P256", usage: "SIGN_VERIFY");
        demo.Alias(payouts, "alias/payouts-signing", 200);

        var merchants = demo.Key(ApSoutheast1, 90, "Merchant statement exports");
        demo.Alias(merchants, "alias/merchant-exports", 90);
        demo.Rotation(merchants, 365);

        var sandboxKey = demo.Key(ApSoutheast1, 220, "Card sandbox (retired)");
        demo.Alias(sandboxKey, "alias/card-sandbox", 220);
        sandboxKey.State = KeyStates.Disabled;

        foreach (var (region, service, daysAgo) in new[] { (UsEast1, "s3", 310), (UsEast1, "ebs", 305), (EuWest1, "s3", 280), (ApSoutheast1, "s3", 160) })
            demo.AwsManaged(region, service, daysAgo);

        demo.Grant(vault, "tokenizer-service", 100, $"arn:aws:iam::{account}:role/tokenizer",
            ["Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey"], contextSubset: new() { ["app"] = "tokenizer" });

        // The security account may decrypt settlement records for its audits (a cross-account statement to review).
        var policy = JsonNode.Parse(DefaultKeyPolicy.For(account))!.AsObject();
        policy["Statement"]!.AsArray().Add(new JsonObject
        {
            ["Sid"] = "Security account audits settlements",
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = "arn:aws:iam::111122223333:root" },
            ["Action"] = new JsonArray("kms:Decrypt", "kms:DescribeKey"),
            ["Resource"] = "*",
        });
        ledger.Policy = policy.ToJsonString();
    }
}
