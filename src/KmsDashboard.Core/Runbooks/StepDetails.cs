namespace KmsDashboard.Core.Runbooks;

/// <summary>A step's own progress table on the runbook page (e.g. step 6's buckets), worked out from the saved state.</summary>
public sealed record StepDetails(IReadOnlyList<string> Headers, IReadOnlyList<StepDetailRow> Rows);

/// <summary>One row of <see cref="StepDetails"/>; <see cref="Key"/> names it (a bucket, a Region).</summary>
public sealed record StepDetailRow(string Key, IReadOnlyList<string> Cells);
