using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Findings;

namespace KmsDashboard.Core.Tests.Findings;

/// <summary>Each check on the sandbox's demo account, evaluated once through the real service (sandbox, SDK clients, SQLite).</summary>
public sealed class FindingsDemoAccountTests(DemoFindingsFixture demo) : IClassFixture<DemoFindingsFixture>
{
    [Fact]
    public void Check1AKeySetWithoutItsAliasInARegionIsFoundThere()
    {
        var finding = demo.Single(FindingChecks.AliasMissing, "payments-prod", "ap-southeast-1");
        Assert.Contains(finding.Evidence, e => e.Contains("alias/payments-prod exists in", StringComparison.Ordinal));
        Assert.Equal(KeyAction.AlignAlias, finding.Fix?.Action);
        Assert.DoesNotContain(demo.Of(FindingChecks.AliasMissing), f => f.KeyName == "orders-db");
    }

    [Fact]
    public void Check1CallersNamingAKeyByArnAreFoundPerCaller()
    {
        // terraform-state-prod's default names its key by ARN: S3 calls KMS with the ARN for every upload.
        var findings = demo.Of(FindingChecks.KeyIdInCalls);
        var terraform = Assert.Single(findings, f => f.KeyName.StartsWith("terraform-state", StringComparison.Ordinal));
        Assert.Contains(terraform.Evidence, e => e.Contains("named the key as arn:aws:kms:us-east-1:", StringComparison.Ordinal));
        Assert.NotNull(terraform.Subject);
        Assert.DoesNotContain(findings, f => f.KeyName.StartsWith("orders-db", StringComparison.Ordinal));
    }

    [Fact]
    public void Check2PublicKmsStarAndUnconditionedStatementsAreFound()
    {
        var open = demo.Single(FindingChecks.PublicPolicy, "ci-artifacts");
        Assert.Equal(FindingSeverity.Critical, open.Severity);
        Assert.Contains("Anyone may decrypt build artifacts", open.Evidence[0]);
        var star = demo.Single(FindingChecks.KmsStar, "terraform-state");
        Assert.Equal("arn:aws:iam::111122223333:role/TerraformRole", star.Subject);
        var unconditioned = demo.Single(FindingChecks.NoConditions, "terraform-state");
        Assert.Contains("ci-runner", unconditioned.Evidence[0]);
        // The default policy's root kms:* and payments' EU reader (named actions) are not findings.
        Assert.DoesNotContain(demo.Of(FindingChecks.KmsStar), f => f.KeyName.StartsWith("payments-prod", StringComparison.Ordinal));
        Assert.DoesNotContain(demo.Of(FindingChecks.NoConditions), f => f.KeyName.StartsWith("payments-prod", StringComparison.Ordinal));
        Assert.Contains(demo.Report.NotEvaluated, n => n.CheckId == FindingChecks.UnconstrainedGrant.Id);
    }

    [Fact]
    public void Check3RotationOffAndTheIncidentWithoutRotationAreFound()
    {
        var pii = demo.Single(FindingChecks.RotationOff, "customer-pii");
        Assert.Equal("us-west-2", pii.Region);
        Assert.Equal(KeyAction.EnableRotation, pii.Fix?.Action);
        Assert.DoesNotContain(demo.Of(FindingChecks.RotationOff), f => f.KeyName.StartsWith("orders-db", StringComparison.Ordinal) || f.KeyName.StartsWith("analytics", StringComparison.Ordinal));
        var incident = demo.Single(FindingChecks.IncidentRotation, "orders-db");
        Assert.Contains(incident.Evidence, e => e.Contains("before the incident", StringComparison.Ordinal));
        Assert.Empty(demo.Of(FindingChecks.RotationPeriod)); // nothing rotates less often than 365 days in the demo
    }

    [Fact]
    public void Check4CrossAccountAccessNamesTheAccount()
    {
        var partner = demo.Single(FindingChecks.CrossAccount, "release-signing");
        Assert.Equal("444455556666", partner.Subject);
        Assert.Contains(partner.Evidence, e => e.Contains("not in Findings:AllowedAccounts", StringComparison.Ordinal));
    }

    [Fact]
    public void Check5TheIdleKeyIsFoundAndTrailCoverageSaysItWasNotEvaluated()
    {
        var idle = demo.Single(FindingChecks.Idle, "app-config", "eu-west-1");
        Assert.Equal(1.00m, idle.MonthlySaving);
        Assert.DoesNotContain(demo.Of(FindingChecks.Idle), f => f.KeyName.StartsWith("payments-prod", StringComparison.Ordinal));
        Assert.Empty(demo.Of(FindingChecks.NoTrail));
        Assert.Contains(demo.Report.NotEvaluated, n => n.CheckId == FindingChecks.NoTrail.Id && n.Text.StartsWith("not evaluated", StringComparison.Ordinal));
    }

    [Fact]
    public void Check6MissingTagsAndTagDriftAreFound()
    {
        var drift = demo.Single(FindingChecks.TagDrift, "payments-prod", "eu-west-1");
        Assert.Contains(drift.Evidence, e => e.Contains("CostCenter", StringComparison.Ordinal));
        Assert.DoesNotContain(demo.Of(FindingChecks.TagDrift), f => f.KeyName == "payments-prod" && f.Region == "us-west-2");
        var missing = demo.Single(FindingChecks.MissingTags, "orders-db", "eu-west-1");
        Assert.Contains("CostCenter, Owner", missing.Evidence[0]);
        Assert.DoesNotContain(demo.Of(FindingChecks.MissingTags), f => f.KeyName == "payments-prod" && f.Region == "us-east-1");
    }

    [Fact]
    public void Check7EmptyDescriptionAndMissingOwnerAreFound()
    {
        demo.Single(FindingChecks.NoDescription, "batch-archive");
        Assert.Contains(demo.Of(FindingChecks.NoOwner), f => f.KeyName == "customer-pii");
        Assert.DoesNotContain(demo.Of(FindingChecks.NoOwner), f => f.KeyName == "payments-prod");
    }

    [Fact]
    public void Check8SaysNotEvaluatedWithoutADrillHistory()
    {
        Assert.Empty(demo.Of(FindingChecks.DrillOverdue));
        var note = Assert.Single(demo.Report.NotEvaluated, n => n.CheckId == FindingChecks.DrillOverdue.Id);
        Assert.Contains("no failover drill history", note.Reason);
    }

    [Fact]
    public void Check9EnvelopeEncryptionIsSuggestedWithTheSaving()
    {
        var pii = demo.Single(FindingChecks.Envelope, "customer-pii");
        Assert.True(pii.MonthlySaving > 0);
        Assert.Contains(pii.Evidence, e => e.Contains("Encrypt", StringComparison.Ordinal) && e.Contains("Decrypt", StringComparison.Ordinal));
        // payments-prod uses data keys (GenerateDataKey is 30 % of its traffic).
        Assert.DoesNotContain(demo.Of(FindingChecks.Envelope), f => f.KeyName == "payments-prod");
    }

    [Fact]
    public void Check10AKeyPendingDeletionStillUsedIsCriticalAndTheStuckPrimaryAndShortWindowAreFound()
    {
        var reports = demo.Single(FindingChecks.PendingDeletionInUse, "old-reports", "us-west-2");
        Assert.Equal(FindingSeverity.Critical, reports.Severity);
        Assert.Contains(reports.Evidence, e => e.Contains("old-quarterly-reports", StringComparison.Ordinal));
        Assert.Contains(reports.Evidence, e => e.StartsWith("CloudWatch: successful requests", StringComparison.Ordinal));
        Assert.Equal(KeyAction.CancelDeletion, reports.Fix?.Action);
        Assert.Equal("us-west-2", reports.Fix?.Region);
        demo.Single(FindingChecks.StuckReplicaDeletion, "legacy-billing", "us-east-1");
        var window = demo.Single(FindingChecks.ShortWindow, "legacy-billing", "us-east-1");
        Assert.Contains("7 days", window.Evidence[0]);
    }

    [Fact]
    public void Check11AKeyTaggedForTwoEnvironmentsIsFound()
    {
        var analytics = demo.Single(FindingChecks.MixedEnvironments, "analytics-signing");
        Assert.Contains(analytics.Evidence, e => e.StartsWith("prod:", StringComparison.Ordinal));
        Assert.Contains(analytics.Evidence, e => e.StartsWith("staging:", StringComparison.Ordinal));
    }

    [Fact]
    public void Check12CallsWithoutAVpcEndpointAreFoundAndThoseThroughOneAreNot()
    {
        var findings = demo.Of(FindingChecks.NoVpcEndpoint);
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Contains("without a vpcEndpointId", f.Evidence[0]));
    }

    [Fact]
    public void MultiRegionDriftAbsenceWhereBucketsLiveAndNothingOnAwsManagedKeys()
    {
        var disabled = demo.Single(FindingChecks.ReplicaDrift, "orders-db", "eu-central-1");
        Assert.Equal(KeyAction.EnableKey, disabled.Fix?.Action);
        var eu = demo.Single(FindingChecks.ReplicaDrift, "payments-prod", "eu-west-1");
        Assert.Contains(eu.Evidence, e => e.Contains("Policy", StringComparison.Ordinal));
        Assert.DoesNotContain(demo.Of(FindingChecks.ReplicaDrift), f => f.KeyName == "customer-pii");
        var absent = demo.Single(FindingChecks.AbsentWhereBucketsLive, "customer-pii", "eu-west-1");
        Assert.Contains(absent.Evidence, e => e.Contains("customer-exports-eu", StringComparison.Ordinal));
        Assert.Equal(KeyAction.Replicate, absent.Fix?.Action);
        Assert.DoesNotContain(demo.Report.Findings, f => f.KeyName.StartsWith("aws/", StringComparison.Ordinal));
        Assert.Empty(demo.Of(FindingChecks.ReplicaRegionDown)); // every Region is up
    }

    [Fact]
    public void ScoresAndTrendReflectTheEvaluation()
    {
        Assert.InRange(demo.Report.EstateScore, 0, 99.9);
        Assert.Equal(0, demo.Report.KeyScores[demo.Single(FindingChecks.PublicPolicy, "ci-artifacts").KeyId] > 60 ? 1 : 0);
        var trend = Assert.Single(demo.Report.Trend);
        Assert.True(trend.Critical >= 2);
        Assert.All(demo.Report.Findings, f => Assert.Equal(f.FirstSeen, f.LastSeen));
    }
}
