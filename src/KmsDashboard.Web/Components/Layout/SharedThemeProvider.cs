using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace KmsDashboard.Web.Components.Layout;

/// <summary>
/// MudThemeProvider whose output — some 12,000 characters of CSS variables that MudBlazor builds on every render — is
/// kept as one string per distinct output (a theme in light or dark) shared by every circuit, in one markup frame: each
/// circuit held its own ~24 KB copy (bench/README.md, circuits). Everything else (the system dark-mode query, the
/// parameters) is MudThemeProvider's own. Should a MudBlazor version render anything but markup here, the provider
/// renders as MudThemeProvider does.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    /// <summary>Distinct outputs seen; a handful (one theme, light and dark), bounded in case a page varies the theme.</summary>
    private static readonly ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);
    private const int MaxShared = 16;

#pragma warning disable BL0006 // RenderTree types: read-only use of MudThemeProvider's own frames, checked for markup only.
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        using var own = new RenderTreeBuilder();
        base.BuildRenderTree(own);
        var frames = own.GetFrames();
        var html = new System.Text.StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames.Array[i];
            switch (frame.FrameType)
            {
                case Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrameType.Markup:
                    html.Append(frame.MarkupContent);
                    break;
                case Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrameType.Text:
                    html.Append(System.Net.WebUtility.HtmlEncode(frame.TextContent));
                    break;
                case Microsoft.AspNetCore.Components.RenderTree.RenderTreeFrameType.Region:
                    break; // its frames follow
                default:
                    base.BuildRenderTree(builder); // not markup only: as MudThemeProvider renders
                    return;
            }
        }
        var markup = html.ToString();
        builder.AddMarkupContent(0, Shared.Count < MaxShared ? Shared.GetOrAdd(markup, markup) : Shared.GetValueOrDefault(markup, markup));
    }
#pragma warning restore BL0006
}
