namespace KmsDashboard.Core.Runbooks;

/// <summary>How a step went in one Region: Done, Failed, Waiting (e.g. a replica still Creating) or Skipped, and why.</summary>
public sealed record RegionResult(string Region, string State, string Message)
{
    public const string Done = "Done", Failed = "Failed", Waiting = "Waiting", Skipped = "Skipped";
}
