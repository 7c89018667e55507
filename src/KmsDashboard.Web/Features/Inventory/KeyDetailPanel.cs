namespace KmsDashboard.Web.Features.Inventory;

/// <summary>
/// A component another feature puts on the key detail page. The component takes one parameter,
/// <c>[Parameter, EditorRequired] public KeyDetailContext Key { get; set; }</c>. Register with
/// <see cref="KeyDetailPanelServiceCollectionExtensions.AddKeyDetailTab{TComponent}"/> or <c>AddKeyDetailToolbar</c>.
/// </summary>
public sealed record KeyDetailPanel(string Title, Type Component, KeyDetailSlot Slot, int Order);
