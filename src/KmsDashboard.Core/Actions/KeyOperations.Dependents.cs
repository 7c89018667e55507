namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>How long a plan waits for the dependents read (S3, grants, CloudTrail at two requests a second).</summary>
    public static readonly TimeSpan DependentsBudget = TimeSpan.FromSeconds(20);
}
