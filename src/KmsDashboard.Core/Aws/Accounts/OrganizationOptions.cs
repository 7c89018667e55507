namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>
/// <c>Backend:Organization</c>: discover the accounts with AWS Organizations ListAccounts (the dashboard's own
/// credentials must be the management account's or a delegated administrator's) and assume <see cref="RoleName"/> in each.
/// </summary>
public sealed class OrganizationOptions
{
    public string? RoleName { get; set; }
    public string? ExternalId { get; set; }
    /// <summary>Regions read in every discovered account; the backend's Regions when empty.</summary>
    public string[] Regions { get; set; } = [];
}
