using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Web.Components.Layout;

/// <summary>
/// Whether the shell is being rendered as plain HTML for a statically routed page (<c>[ExcludeFromInteractiveRouting]</c>:
/// the key map, whose only interactive part is its own component, and the sign-in form). There the app bar's buttons,
/// the drawer and the user menu have no circuit behind them: <c>wwwroot/js/static-shell.js</c> drives them in the browser.
/// </summary>
public static class StaticRouting
{
    /// <param name="http">The component's cascading <see cref="HttpContext"/>: set while rendering on the server for a
    /// request (static rendering and prerendering), null in a circuit.</param>
    public static bool Is(HttpContext? http) => http is not null && !http.AcceptsInteractiveRouting();
}
