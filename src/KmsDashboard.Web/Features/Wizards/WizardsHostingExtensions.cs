using KmsDashboard.Core.Rotation;

namespace KmsDashboard.Web.Features.Wizards;

public static class WizardsHostingExtensions
{
    /// <summary>The guided wizards at /wizards: bulk automatic rotation and on-demand rotation (their Core services).</summary>
    public static WebApplicationBuilder AddWizards(this WebApplicationBuilder builder)
    {
        builder.Services.AddRotationWizards();
        return builder;
    }
}
