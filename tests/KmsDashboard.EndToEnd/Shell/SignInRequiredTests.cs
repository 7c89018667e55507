using System.Net;
using System.Text.RegularExpressions;
using KmsDashboard.EndToEnd.Infrastructure;

namespace KmsDashboard.EndToEnd.Shell;

/// <summary>
/// With anonymous reading off (the default against AWS), nothing but sign-in, static assets and /healthz answers a
/// visitor who has not signed in; a Viewer gets in.
/// </summary>
public sealed partial class SignInRequiredTests(SignInRequiredTests.App app) : IClassFixture<SignInRequiredTests.App>
{
    /// <summary>One dashboard for the class, with anonymous reading off.</summary>
    public sealed class App : IAsyncLifetime
    {
        private readonly DashboardAppFactory _factory = new(new Dictionary<string, string?> { ["Authentication:AnonymousRead"] = "false" });

        public Uri BaseUrl { get; private set; } = default!;

        public Task InitializeAsync()
        {
            BaseUrl = _factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await _factory.DisposeAsync();
    }

    private HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = app.BaseUrl };

    [Theory]
    [InlineData("/")]
    [InlineData("/keys")]
    [InlineData("/regions")]
    [InlineData("/usage")]
    [InlineData("/inventory/keymap.csv")]
    public async Task AVisitorWhoHasNotSignedInIsSentToSignIn(string path)
    {
        using var http = Client();

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
        Assert.Contains(Uri.EscapeDataString(path), response.Headers.Location!.Query);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/healthz")]
    [InlineData("/app.css")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    public async Task SignInStaticAssetsAndHealthStayOpen(string path)
    {
        using var http = Client();

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AViewerWhoSignsInReadsTheKeyMap()
    {
        var cookies = new CookieContainer();
        using var http = Client(cookies);
        var form = await http.GetStringAsync("/signin?returnUrl=%2Fkeys");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);

        var signIn = await http.PostAsync("/signin/local", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = "vera",
            ["roles"] = "Viewer",
            ["returnUrl"] = "/keys",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/keys", signIn.Headers.Location!.OriginalString);

        var page = await http.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Key map", await page.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
