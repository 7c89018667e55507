using System.Net;
using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Web.Hosting;

namespace KmsDashboard.EndToEnd.Shell;

[Collection(DashboardCollection.Name)]
public sealed class HostingTests(DashboardFixture fixture)
{
    [Fact]
    public async Task HealthzAnswersHealthy()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseUrl };

        var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PagesCarryTheSecurityHeadersAndAStrictScriptPolicy()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseUrl };

        var response = await http.GetAsync("/regions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Blazor adds its own "frame-ancestors 'self'" policy; browsers enforce every policy sent, so ours still holds.
        var policies = response.Headers.GetValues("Content-Security-Policy").ToList();
        Assert.Contains(SecurityHeadersExtensions.ContentSecurityPolicy, policies);
        Assert.Contains("script-src 'self';", SecurityHeadersExtensions.ContentSecurityPolicy);
        Assert.Contains("frame-ancestors 'none'", SecurityHeadersExtensions.ContentSecurityPolicy);
        Assert.All(policies, p => Assert.DoesNotContain("unsafe-eval", p));
        Assert.All(policies, p => Assert.DoesNotContain("script-src 'unsafe-inline'", p));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }
}
