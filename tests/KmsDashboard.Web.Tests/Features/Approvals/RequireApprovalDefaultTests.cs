using KmsDashboard.Core.Security;
using KmsDashboard.Web.Features.Approvals;
using KmsDashboard.Web.Features.SignIn;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Web.Tests.Features.Approvals;

public sealed class RequireApprovalDefaultTests
{
    private static bool? RequireApproval(bool oidc, string? setting)
    {
        var builder = WebApplication.CreateBuilder();
        if (setting is not null) builder.Configuration["Safety:RequireApproval"] = setting;
        builder.Services.AddSingleton(new SignInSchemes(Local: !oidc, Oidc: oidc));
        builder.Services.AddOptions<SafetyOptions>().BindConfiguration(SafetyOptions.Section);
        builder.AddApprovals();
        using var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SafetyOptions>>().Value.RequireApproval;
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, "false", false)]
    [InlineData(false, "true", true)]
    public void UnsetItIsOnWithOpenIdConnectAndOffWithTheLocalSignInAloneAndASettingWins(bool oidc, string? setting, bool expected) =>
        Assert.Equal(expected, RequireApproval(oidc, setting));
}
