namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>
/// One entry of <c>Backend:Accounts</c>: an AWS account the dashboard reads through a role it assumes there
/// (<see cref="RoleArn"/>, or <see cref="RoleName"/> in account <see cref="Id"/>), optionally with an external id,
/// and its own Regions (the backend's Regions when none are listed).
/// </summary>
public sealed class AccountOptions
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? RoleArn { get; set; }
    public string? RoleName { get; set; }
    public string? ExternalId { get; set; }
    public string[] Regions { get; set; } = [];
}
