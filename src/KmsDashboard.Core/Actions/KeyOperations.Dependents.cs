using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>How long a plan waits for the dependents read (S3, grants, CloudTrail at two requests a second).</summary>
    public static readonly TimeSpan DependentsBudget = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Adds what depends on the key to a destructive plan's blast radius: buckets, replication rules, grants and recent
    /// callers of the Regions the action reaches ("3 buckets, 1 replication rule, 2 grants, 14 principals … would lose access").
    /// </summary>
    private async Task DependentsRadiusAsync(PlanBuilder b, string keyId, IReadOnlyCollection<string>? regions, string consequence, CancellationToken ct)
    {
        if (_dependents is null) return;
        var radius = await _dependents.BlastRadiusAsync(keyId, regions, consequence, ct);
        b.Plan.Dependents = radius;
        b.Blast(radius is null
            ? "What depends on the key (buckets, replication rules, grants, recent callers) could not be read in time; check its Dependents tab."
            : radius.Summary + ".");
    }
}
