using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace KmsDashboard.Web.Components.Layout;

/// <summary>
/// MudBlazor's markup for what the shell and the key map draw on every page without behaviour of MudBlazor's own — an
/// icon, a button's label — as strings built once and shared by every circuit (one markup frame each). A MudIcon,
/// MudButton or MudIconButton is a component per use in each circuit (two render trees, parameter state: 2–4 KB each;
/// bench/README.md, circuits); the elements around these use MudBlazor's CSS classes, so they look and behave alike.
/// </summary>
public static class MudMarkup
{
    private static readonly ConcurrentDictionary<(string Svg, string Size, string Class), MarkupString> Icons = new();
    private static readonly ConcurrentDictionary<(string Svg, string Size, string Text), MarkupString> Labels = new();

    /// <summary>A MudIcon: <paramref name="svg"/> is one of MudBlazor's <c>Icons.Material</c> constants (trusted SVG).</summary>
    public static MarkupString Icon(string svg, string size = "medium", string extraClass = "") =>
        Icons.GetOrAdd((svg, size, extraClass), static k => new MarkupString(
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{k.Size}{(k.Class.Length > 0 ? " " + k.Class : "")}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{k.Svg}</svg>"));

    /// <summary>A MudIconButton's label: the icon in its span.</summary>
    public static MarkupString IconButtonLabel(string svg) =>
        Labels.GetOrAdd((svg, "medium", "\0icon-button"), static k => new MarkupString(
            $"<span class=\"mud-icon-button-label\">{Icon(k.Svg).Value}</span>"));

    /// <summary>A MudButton's label with a start icon; <paramref name="text"/> is a constant of the page (HTML-encoded here all the same).</summary>
    public static MarkupString ButtonLabel(string startIcon, string size, string text) =>
        Labels.GetOrAdd((startIcon, size, text), static k => new MarkupString(
            $"<span class=\"mud-button-label\"><span class=\"mud-button-icon-start mud-button-icon-size-{k.Size}\">{Icon(k.Svg, k.Size).Value}</span>{System.Net.WebUtility.HtmlEncode(k.Text)}</span>"));
}
