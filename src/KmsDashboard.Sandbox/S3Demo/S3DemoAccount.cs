using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Kms;
using KmsDashboard.Sandbox.S3;

namespace KmsDashboard.Sandbox.S3Demo;

/// <summary>
/// The demo account's buckets, written through <see cref="S3SandboxState"/> (so objects are really encrypted through the
/// sandbox's KMS) over the demo keys: a pair replicating across Regions under the multi-Region payments key, buckets
/// still encrypted with keys pending deletion, a bucket whose default names its key by ARN, and a bucket half-way
/// through a migration from one key to another.
/// </summary>
internal static class S3DemoAccount
{
    public const string Primary = "myapp-primary", Replica = "myapp-replica", LegacyExports = "legacy-billing-exports",
        OldReports = "old-quarterly-reports", TerraformState = "terraform-state-prod", OrdersExports = "orders-exports",
        CustomerExports = "customer-exports", CustomerExportsEu = "customer-exports-eu";

    /// <summary>Objects of the half-finished migration in <see cref="OrdersExports"/>: still under payments-prod, already under orders-db, SSE-S3.</summary>
    public const int NotYetMigrated = 180, Migrated = 120, SseS3 = 30;

    public static void Seed(S3SandboxState s3, KmsSandboxState kms)
    {
        var keys = kms.ListKeys();
        string Arn(string region, string alias) =>
            keys.FirstOrDefault(k => k.Region == region && k.Aliases.Contains(alias))?.Arn
            ?? throw new InvalidOperationException($"The demo account has no {alias} in {region}.");
        var payments = Arn("us-east-1", "alias/payments-prod");
        // The alias was never created in ap-southeast-1 (drift in the demo): the replica side names the key by ARN.
        var paymentsApac = payments.Replace(":us-east-1:", ":ap-southeast-1:", StringComparison.Ordinal);

        // myapp: us-east-1 replicating to ap-southeast-1 under the multi-Region payments key.
        s3.CreateBucket("us-east-1", Primary);
        s3.CreateBucket("ap-southeast-1", Replica);
        s3.SetVersioning(Primary, true);
        s3.SetVersioning(Replica, true);
        s3.SetDefaultKmsEncryption(Primary, "alias/payments-prod", bucketKeyEnabled: true);
        s3.SetDefaultKmsEncryption(Replica, paymentsApac, bucketKeyEnabled: true);
        s3.SetReplication(Primary, new BucketReplication("arn:aws:iam::111122223333:role/myapp-replication",
            [new BucketReplicationRule("myapp-to-singapore", Replica, paymentsApac)]));
        s3.SetTags(Primary, new Dictionary<string, string> { ["App"] = "myapp", ["Environment"] = "prod" });
        for (var i = 0; i < 12; i++)
            s3.PutObject(Primary, $"invoices/2026/11/invoice-{i + 1:D4}.json", Body($"invoice {i + 1}"), contentType: "application/json",
                accessKeyId: DemoAccessKeys.PaymentsLambda);

        // Buckets whose default still names a key pending deletion: the next upload fails.
        s3.CreateBucket("us-east-1", LegacyExports);
        s3.SetDefaultKmsEncryption(LegacyExports, "alias/legacy-billing");
        s3.CreateBucket("us-west-2", OldReports);
        s3.SetDefaultKmsEncryption(OldReports, "alias/old-reports");

        // A default that names its key by ARN rather than alias.
        s3.CreateBucket("us-east-1", TerraformState);
        s3.SetVersioning(TerraformState, true);
        s3.SetDefaultKmsEncryption(TerraformState, Arn("us-east-1", "alias/terraform-state"));
        s3.PutObject(TerraformState, "prod/network.tfstate", Body("{\"version\": 4}"), contentType: "application/json", accessKeyId: DemoAccessKeys.Alice);

        // A migration from payments-prod to orders-db, stopped half-way: the default already names the new key. (Not
        // app-config: in eu-west-1 it is the demo's idle key, never called, and S3 would call it.)
        s3.CreateBucket("eu-west-1", OrdersExports);
        for (var i = 0; i < NotYetMigrated; i++)
            s3.PutObject(OrdersExports, $"exports/2026/{i / 30 + 1:D2}/orders-{i:D4}.csv", Body($"order {i}"), "alias/payments-prod", "text/csv", DemoAccessKeys.OrderService);
        for (var i = 0; i < SseS3; i++)
            s3.PutObject(OrdersExports, $"legacy/orders-{i:D4}.csv", Body($"legacy {i}"), contentType: "text/csv", accessKeyId: DemoAccessKeys.OrderService);
        s3.SetDefaultKmsEncryption(OrdersExports, "alias/orders-db");
        for (var i = 0; i < Migrated; i++)
            s3.PutObject(OrdersExports, $"exports/2026/{NotYetMigrated / 30 + 1 + i / 30:D2}/orders-{NotYetMigrated + i:D4}.csv", Body($"order {NotYetMigrated + i}"),
                contentType: "text/csv", accessKeyId: DemoAccessKeys.OrderService);

        // customer-pii's exports replicate to eu-west-1, where the key set has no replica (a Findings example).
        s3.CreateBucket("us-west-2", CustomerExports);
        s3.CreateBucket("eu-west-1", CustomerExportsEu);
        s3.SetVersioning(CustomerExports, true);
        s3.SetVersioning(CustomerExportsEu, true);
        s3.SetDefaultKmsEncryption(CustomerExports, "alias/customer-pii", bucketKeyEnabled: true);
        s3.SetReplication(CustomerExports, new BucketReplication("arn:aws:iam::111122223333:role/customer-exports-replication",
            [new BucketReplicationRule("customer-exports-to-ireland", CustomerExportsEu, null, SseKmsEncryptedObjects: false)]));
    }

    private static byte[] Body(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\n");
}
