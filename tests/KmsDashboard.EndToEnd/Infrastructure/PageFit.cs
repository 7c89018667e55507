using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Infrastructure;

/// <summary>
/// A page looked at in a width and a theme: the desktop/phone × light/dark matrix a new page is checked in, and the
/// check every page gets there (a screenshot kept, nothing scrolls the page sideways).
/// </summary>
public static class PageFit
{
    /// <summary>1440×900 and 390×844, light and dark (use with <c>[MemberData(nameof(PageFit.DesktopAndPhone), MemberType = typeof(PageFit))]</c>).</summary>
    public static TheoryData<int, int, string> DesktopAndPhone => new()
    {
        { 1440, 900, "light" },
        { 1440, 900, "dark" },
        { 390, 844, "light" },
        { 390, 844, "dark" },
    };

    /// <summary>A new page (own context) at <paramref name="width"/>×<paramref name="height"/> whose theme cookie says <paramref name="theme"/>.</summary>
    public static async Task<IPage> NewPageAsync(DashboardFixture fixture, int width, int height, string theme)
    {
        var page = await fixture.NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        await page.Context.AddCookiesAsync([new Cookie { Name = "kmsdash-theme", Value = theme, Url = fixture.BaseUrl.ToString() }]);
        return page;
    }

    /// <summary>Asserts the page as shown does not scroll sideways at <paramref name="width"/>.</summary>
    public static async Task AssertNoSidewaysScrollAsync(IPage page, int width, string? what = null)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 1, $"{what ?? new Uri(page.Url).AbsolutePath} at {width} px scrolls sideways by {overflow} px");
    }

    /// <summary>
    /// Opens a page at that width and theme, lets <paramref name="show"/> sign in and bring the page to the state to look
    /// at, then keeps the screenshot <c>{name}-{width}-{theme}</c> and asserts nothing scrolls sideways; the page is closed after.
    /// </summary>
    public static async Task CheckAsync(DashboardFixture fixture, int width, int height, string theme, string name, Func<IPage, Task> show)
    {
        var page = await NewPageAsync(fixture, width, height, theme);
        try
        {
            await show(page);
            await DashboardFixture.ScreenshotAsync(page, $"{name}-{width}-{theme}");
            await AssertNoSidewaysScrollAsync(page, width);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
