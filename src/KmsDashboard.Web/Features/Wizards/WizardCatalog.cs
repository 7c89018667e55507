using System.Reflection;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KmsDashboard.Web.Features.Wizards;

/// <summary>The wizards the landing page offers, and whether this build has a page at each one's route.</summary>
public static class WizardCatalog
{
    public static IReadOnlyList<WizardCard> All { get; } =
    [
        new("new-key-set", "New key set",
            "Create a multi-Region key in a primary Region with its replicas, one alias in every Region, tags, a least-privilege key policy and rotation on.",
            "Operator", "wizards/new-key-set", Icons.Material.Filled.AddCircleOutline),
        new("automatic-rotation", "Automatic rotation",
            "Turn on automatic rotation, or change its period, for many key sets at once: what changes per key set, the next rotation date and the cost.",
            "Operator", "wizards/automatic-rotation", Icons.Material.Filled.Autorenew),
        new("on-demand-rotation", "On-demand rotation",
            "Rotate one key set's material now (at most 25 times), then check a round trip in every Region and that old ciphertext still decrypts.",
            "Operator", "wizards/on-demand-rotation", Icons.Material.Filled.Loop),
        new("manual-rotation", "Manual rotation (new key, keep the alias)",
            "The security-incident runbook: a new key set, aliases moved Region by Region, verified, the old key drained, disabled and retired. Resumable.",
            "Operator (steps 1–7), Admin (disable, delete)", "wizards/manual-rotation", Icons.Material.Filled.SwapHorizontalCircle),
        new("retire", "Retire a key set",
            "Watch that nothing uses a key set any more, disable it, then schedule its deletion replicas first. Resumable.",
            "Operator (watch), Admin (disable, delete)", "wizards/retire", Icons.Material.Filled.DeleteSweep),
        new("runbooks", "Runbooks",
            "Open and finished runbooks: who started each, the current step, its age; resume one or export its history.",
            "Viewer and above", "runbooks", Icons.Material.Filled.ListAlt),
    ];

    private static readonly HashSet<string> Routes = [.. typeof(WizardCatalog).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template.Trim('/'))];

    /// <summary>Whether a page of this app answers at <paramref name="route"/> (the runbook wizards may not be in this build).</summary>
    public static bool IsAvailable(WizardCard card) => Routes.Contains(card.Route);
}
