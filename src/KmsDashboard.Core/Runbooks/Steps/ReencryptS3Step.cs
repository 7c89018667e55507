namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 6: re-encrypting S3 objects under the new key. It needs the sandbox's S3 and the dependents view, which this
/// build does not have yet, so the step says so and is recorded as skipped.
/// </summary>
public sealed class ReencryptS3Step : RunbookStep
{
    public const string StepName = "reencrypt-s3";
    public override string Name => StepName;
    public override string Title => "Re-encrypt S3 (not available yet)";
    public override string Description => "Would update bucket default encryption to the alias and copy objects in place under the new key.";

    public override string? NotAvailableReason =>
        "re-encrypting S3 buckets needs S3 support and each key's dependents, which this build of the dashboard does not have yet. Re-encrypt buckets by hand if they use the old key.";

    public override Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken) =>
        Task.FromResult("Skipped: not available yet.");
}
