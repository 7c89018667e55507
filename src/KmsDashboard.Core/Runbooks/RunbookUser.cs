using System.Security.Claims;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Runbooks;

/// <summary>Who acts on a runbook: a stable id (OIDC <c>sub</c> or name identifier, else the name) and a display name.</summary>
public sealed record RunbookUser(string Id, string Name)
{
    public static RunbookUser From(ClaimsPrincipal principal)
    {
        var name = DashboardUser.From(principal).Name;
        var id = principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? name;
        return new RunbookUser(id, name);
    }
}
