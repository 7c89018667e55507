using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Demo;

/// <summary>
/// The deterministic demo account (same ids every time; dates relative to the seed time, spread over the past year):
/// multi-Region keys with replicas in several Regions, single-Region keys, drifted aliases, tags and policies, keys with
/// and without rotation, a key pending deletion, a primary stuck in PendingReplicaDeletion, a disabled replica, AWS
/// managed keys, a rotation history and grants for a few service roles.
/// </summary>
internal static class DemoAccount
{
    public const string UsEast1 = "us-east-1", UsWest2 = "us-west-2", EuWest1 = "eu-west-1",
        EuCentral1 = "eu-central-1", ApSoutheast1 = "ap-southeast-1", ApNortheast1 = "ap-northeast-1";

    public static readonly IReadOnlyList<string> Regions = [UsEast1, UsWest2, EuWest1, EuCentral1, ApSoutheast1, ApNortheast1];

    public static void Seed(KmsStore store, DateTimeOffset now)
    {
        var demo = new DemoBuilder(store, now, new Random(20_260_101));

        // payments-prod: primary in us-east-1, three replicas; the alias was never created in ap-southeast-1;
        // the eu-west-1 replica's tags and policy have drifted from the primary's.
        var payments = demo.Key(UsEast1, 330, "Payments production data key", multiRegion: true);
        var paymentsWest = demo.Replica(payments, UsWest2, 300);
        var paymentsEu = demo.Replica(payments, EuWest1, 300, "Payments production data key (EU)");
        var paymentsApac = demo.Replica(payments, ApSoutheast1, 120);
        demo.Rotation(payments, 365, 200, 45);
        demo.Tags(payments, ("Environment", "prod"), ("Team", "payments"), ("CostCenter", "CC-1001"), ("DataClass", "pci"));
        demo.Tags(paymentsWest, ("Environment", "prod"), ("Team", "payments"), ("CostCenter", "CC-1001"), ("DataClass", "pci"));
        demo.Tags(paymentsEu, ("Environment", "prod"), ("Team", "payments"), ("CostCenter", "CC-2001"));
        demo.Tags(paymentsApac, ("Environment", "prod"), ("Team", "payments"), ("CostCenter", "CC-1001"), ("DataClass", "pci"));
        paymentsEu.Policy = WithReader(store.AccountId, "payments-eu-reader");
        demo.Alias(payments, "alias/payments-prod", 330);
        demo.Alias(paymentsWest, "alias/payments-prod", 300);
        demo.Alias(paymentsEu, "alias/payments-prod", 299);
        demo.LastUsed(payments, "Decrypt", 2);
        demo.LastUsed(paymentsEu, "GenerateDataKey", 5);

        // orders-db: primary in eu-west-1 rotating every 90 days; the eu-central-1 replica is disabled.
        var orders = demo.Key(EuWest1, 350, "Orders database encryption", multiRegion: true);
        var ordersFrankfurt = demo.Replica(orders, EuCentral1, 340);
        var ordersVirginia = demo.Replica(orders, UsEast1, 200);
        demo.Rotation(orders, 90, 30);
        ordersFrankfurt.State = KeyStates.Disabled;
        foreach (var key in new[] { orders, ordersFrankfurt, ordersVirginia })
        {
            demo.Tags(key, ("Environment", "prod"), ("Team", "orders"), ("Service", "orders-db"));
            demo.Alias(key, "alias/orders-db", (int)(now - key.CreationDate).TotalDays);
        }
        demo.LastUsed(orders, "Decrypt", 0.5);
        demo.LastUsed(ordersVirginia, "Encrypt", 26);

        // customer-pii: primary in us-west-2, no rotation.
        var pii = demo.Key(UsWest2, 280, "Customer PII", multiRegion: true);
        var piiTokyo = demo.Replica(pii, ApNortheast1, 270);
        var piiFrankfurt = demo.Replica(pii, EuCentral1, 200);
        foreach (var key in new[] { pii, piiTokyo, piiFrankfurt })
        {
            demo.Tags(key, ("Environment", "prod"), ("Team", "identity"), ("DataClass", "pii"));
            demo.Alias(key, "alias/customer-pii", (int)(now - key.CreationDate).TotalDays);
        }

        // legacy-billing: deletion scheduled on the primary, but its eu-west-1 replica was never deleted.
        var legacy = demo.Key(UsEast1, 360, "Legacy billing exports", multiRegion: true);
        var legacyEu = demo.Replica(legacy, EuWest1, 355);
        demo.Alias(legacy, "alias/legacy-billing", 360);
        demo.Alias(legacyEu, "alias/legacy-billing", 355);
        demo.Tags(legacy, ("Environment", "prod"), ("Team", "billing"), ("Lifecycle", "retiring"));
        demo.ScheduleDeletion(legacy, 7, 20);

        // analytics-signing: a multi-Region HMAC key.
        var analytics = demo.Key(ApSoutheast1, 150, "Analytics event signing", multiRegion: true, spec: "HMAC_256", usage: "GENERATE_VERIFY_MAC");
        var analyticsTokyo = demo.Replica(analytics, ApNortheast1, 149);
        demo.Alias(analytics, "alias/analytics-signing", 150);
        demo.Alias(analyticsTokyo, "alias/analytics-signing", 149);

        // Single-Region keys. alias/app-config names different keys in us-east-1 and eu-west-1.
        var appConfigUs = demo.Key(UsEast1, 250, "Application configuration secrets");
        demo.Alias(appConfigUs, "alias/app-config", 250);
        demo.Tags(appConfigUs, ("Environment", "prod"), ("Team", "platform"));
        var appConfigEu = demo.Key(EuWest1, 180, "Application configuration secrets (EU)");
        demo.Alias(appConfigEu, "alias/app-config", 180);
        demo.Tags(appConfigEu, ("Environment", "prod"), ("Team", "platform-eu"));

        var signing = demo.Key(UsEast1, 180, "Release artifact signing", spec: "RSA_2048", usage: "SIGN_VERIFY");
        demo.Alias(signing, "alias/release-signing", 180);
        var terraform = demo.Key(UsEast1, 60, "Terraform state bucket");
        demo.Alias(terraform, "alias/terraform-state", 60);
        demo.Rotation(terraform, 365);
        demo.Key(UsEast1, 15, "Temporary migration key");

        var reports = demo.Key(UsWest2, 210, "Old quarterly reports");
        demo.Alias(reports, "alias/old-reports", 210);
        demo.ScheduleDeletion(reports, 14, 3);

        var artifacts = demo.Key(EuCentral1, 300, "CI build artifacts");
        demo.Alias(artifacts, "alias/ci-artifacts", 300);
        demo.Rotation(artifacts, 180);
        demo.Tags(artifacts, ("Environment", "ci"), ("Team", "platform"));

        var archive = demo.Key(ApSoutheast1, 240, "Batch archive (retired)");
        demo.Alias(archive, "alias/batch-archive", 240);
        archive.State = KeyStates.Disabled;

        var attestation = demo.Key(ApNortheast1, 90, "Device attestation", spec: "ECC_NIST_P256", usage: "SIGN_VERIFY");
        demo.Alias(attestation, "alias/device-attestation", 90);

        // AWS managed keys, created when each service first used KMS in the Region.
        var managed = new (string Region, string Service, int DaysAgo)[]
        {
            (UsEast1, "ebs", 364), (UsEast1, "s3", 340), (UsEast1, "rds", 300), (UsEast1, "lambda", 100),
            (UsWest2, "ebs", 330), (UsWest2, "s3", 320), (UsWest2, "secretsmanager", 160),
            (EuWest1, "ebs", 350), (EuWest1, "s3", 345), (EuWest1, "rds", 250),
            (EuCentral1, "ebs", 310), (EuCentral1, "s3", 305),
            (ApSoutheast1, "ebs", 200), (ApSoutheast1, "s3", 190),
            (ApNortheast1, "ebs", 260), (ApNortheast1, "s3", 230),
        };
        foreach (var (region, service, daysAgo) in managed) demo.AwsManaged(region, service, daysAgo);

        // Grants for service roles (per Region: the payments replicas have none of the primary's grants).
        var account = store.AccountId;
        demo.Grant(payments, "autoscaling-encrypted-volumes", 200, $"arn:aws:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"]);
        demo.Grant(payments, "payments-batch-settlement", 90, $"arn:aws:iam::{account}:role/payments-batch",
            ["Decrypt", "GenerateDataKey", "DescribeKey"], retiring: $"arn:aws:iam::{account}:role/payments-deployer",
            contextSubset: new() { ["app"] = "payments-batch" });
        demo.Grant(orders, "rds-orders-db", 340, "rds.eu-west-1.amazonaws.com",
            ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant", "RetireGrant"],
            retiring: "rds.eu-west-1.amazonaws.com");
        demo.Grant(legacy, "billing-export-job", 300, $"arn:aws:iam::{account}:role/billing-export", ["Encrypt", "Decrypt", "GenerateDataKey", "DescribeKey"]);

        // What the Findings page should find (added last, so the ids and dates drawn above stay as they were):
        // a role with kms:* and a CI runner with wildcard cryptographic actions and no condition on terraform-state,
        // a public statement on ci-artifacts, another account verifying release signatures, the orders-db incident
        // tagged but not followed by an on-demand rotation, an owner on payments-prod, analytics-signing tagged for two
        // environments, and a retired key without a description.
        terraform.Policy = WithStatements(account,
            Statement("Terraform manages the key", new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:role/TerraformRole" }, new JsonArray("kms:*")),
            Statement("CI runners use the key", new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:role/ci-runner" }, new JsonArray("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*")));
        artifacts.Policy = WithStatements(account,
            Statement("Anyone may decrypt build artifacts", "*", new JsonArray("kms:Decrypt", "kms:DescribeKey")));
        signing.Policy = WithStatements(account,
            Statement("Partner verifies release signatures", new JsonObject { ["AWS"] = "arn:aws:iam::444455556666:root" }, new JsonArray("kms:Verify", "kms:GetPublicKey", "kms:DescribeKey")));
        var incident = $"{DemoDate(demo.DaysAgo(9))} orders-db retry storm (INC-2041)";
        foreach (var key in new[] { orders, ordersFrankfurt, ordersVirginia }) demo.Tags(key, ("Incident", incident));
        foreach (var key in new[] { payments, paymentsWest, paymentsEu, paymentsApac }) demo.Tags(key, ("Owner", "payments-team"));
        demo.Tags(analytics, ("Environment", "prod"), ("Team", "analytics"));
        demo.Tags(analyticsTokyo, ("Environment", "staging"), ("Team", "analytics"));
        archive.Description = "";
    }

    private static string DemoDate(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Statement(string sid, JsonNode principal, JsonArray actions) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Principal"] = principal,
        ["Action"] = actions,
        ["Resource"] = "*",
    };

    private static string WithStatements(string account, params JsonObject[] statements)
    {
        var policy = JsonNode.Parse(DefaultKeyPolicy.For(account))!.AsObject();
        foreach (var statement in statements) policy["Statement"]!.AsArray().Add(statement);
        return policy.ToJsonString();
    }

    private static string WithReader(string account, string role)
    {
        var policy = JsonNode.Parse(DefaultKeyPolicy.For(account))!.AsObject();
        policy["Statement"]!.AsArray().Add(new JsonObject
        {
            ["Sid"] = "Allow EU reader role to decrypt",
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:role/{role}" },
            ["Action"] = new JsonArray("kms:Decrypt", "kms:DescribeKey"),
            ["Resource"] = "*",
        });
        return policy.ToJsonString();
    }
}
