using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Kms;
using KmsDashboard.Sandbox.S3;

namespace KmsDashboard.Sandbox.S3Demo;

/// <summary>
/// The payments member account's buckets, over its own keys: the card archive replicating from us-east-1 to eu-west-1
/// under the multi-Region card-vault key, settlement files under the settlement ledger key, and merchant statements whose
/// default still names the retired card-sandbox key (disabled: the next upload fails).
/// </summary>
internal static class S3PaymentsAccount
{
    public const string CardArchive = "payments-card-archive", CardArchiveEu = "payments-card-archive-eu",
        Settlements = "payments-settlements-eu", Statements = "payments-merchant-statements";

    public static void Seed(S3SandboxState s3, KmsSandboxState kms, string accountId)
    {
        var keys = kms.ListKeys();
        var vaultEu = keys.FirstOrDefault(k => k.Region == "eu-west-1" && k.Aliases.Contains("alias/card-vault"))?.Arn
                      ?? throw new InvalidOperationException("The payments account has no alias/card-vault in eu-west-1.");

        s3.CreateBucket("us-east-1", CardArchive);
        s3.CreateBucket("eu-west-1", CardArchiveEu);
        s3.SetVersioning(CardArchive, true);
        s3.SetVersioning(CardArchiveEu, true);
        s3.SetDefaultKmsEncryption(CardArchive, "alias/card-vault", bucketKeyEnabled: true);
        s3.SetDefaultKmsEncryption(CardArchiveEu, vaultEu, bucketKeyEnabled: true);
        s3.SetReplication(CardArchive, new BucketReplication($"arn:aws:iam::{accountId}:role/card-archive-replication",
            [new BucketReplicationRule("card-archive-to-ireland", CardArchiveEu, vaultEu)]));
        s3.SetTags(CardArchive, new Dictionary<string, string> { ["App"] = "card-platform", ["Environment"] = "prod" });
        for (var i = 0; i < 6; i++)
            s3.PutObject(CardArchive, $"batches/2026/11/batch-{i + 1:D3}.json", Body($"card batch {i + 1}"), contentType: "application/json",
                accessKeyId: DemoAccessKeys.PaymentsLambda);

        s3.CreateBucket("eu-west-1", Settlements);
        s3.SetDefaultKmsEncryption(Settlements, "alias/settlement-ledger");
        for (var i = 0; i < 4; i++)
            s3.PutObject(Settlements, $"settlements/2026-11-{i + 1:D2}.csv", Body($"settlement {i + 1}"), contentType: "text/csv",
                accessKeyId: DemoAccessKeys.OrderService);

        s3.CreateBucket("ap-southeast-1", Statements);
        s3.PutObject(Statements, "statements/2026-10/merchant-0001.pdf", Body("statement 1"), "alias/merchant-exports", "application/pdf", DemoAccessKeys.Carol);
        s3.SetDefaultKmsEncryption(Statements, "alias/card-sandbox");
    }

    private static byte[] Body(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\n");
}
