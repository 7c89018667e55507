using Microsoft.AspNetCore.Components;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>One line per panel: <c>services.AddKeyDetailTab&lt;KeyUsageTab&gt;("Usage", order: 20);</c></summary>
public static class KeyDetailPanelServiceCollectionExtensions
{
    /// <summary>Adds a tab after the inventory's own (Regions 0, Rotation 1, Key policy 2); lower orders come first.</summary>
    public static IServiceCollection AddKeyDetailTab<TComponent>(this IServiceCollection services, string title, int order = 100)
        where TComponent : IComponent =>
        services.AddSingleton(new KeyDetailPanel(title, typeof(TComponent), KeyDetailSlot.Tab, order));

    /// <summary>Adds a full-width section above the tabs, such as an action bar.</summary>
    public static IServiceCollection AddKeyDetailToolbar<TComponent>(this IServiceCollection services, int order = 100)
        where TComponent : IComponent =>
        services.AddSingleton(new KeyDetailPanel(typeof(TComponent).Name, typeof(TComponent), KeyDetailSlot.Toolbar, order));
}
