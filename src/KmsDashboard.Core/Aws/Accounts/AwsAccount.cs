namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>
/// An AWS account the dashboard reads: its id, a name people know it by, the role assumed there (null: the dashboard's
/// own credentials, the single-account set-up) and the Regions read in it.
/// </summary>
public sealed record AwsAccount(string Id, string Name, string? RoleArn, string? ExternalId, IReadOnlyList<string> Regions)
{
    /// <summary>The single-account set-up: no account id is known up front and nothing is assumed.</summary>
    public bool IsDefault => RoleArn is null;

    /// <summary>How the account is shown: "Name (Id)", or the id alone.</summary>
    public string Label => string.IsNullOrEmpty(Name) || Name == Id ? Id : $"{Name} ({Id})";
}
