using System.Security.Claims;
using Bunit;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Web.Features.Regions;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace KmsDashboard.Web.Tests;

/// <summary>
/// A bUnit context set up for MudBlazor (services, loose JS interop, a popover provider) and, on request,
/// for the dashboard's backend on a real sandbox over loopback. Register extra services before the first render.
/// </summary>
public class DashboardTestContext : BunitContext
{
    private SandboxServer? _sandbox;
    private IRenderedComponent<MudPopoverProvider>? _popoverProvider;

    /// <summary>The six Regions of the demo account.</summary>
    public static readonly string[] DemoRegions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    public DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // A loaded 2-core CI machine is slow; waits are generous, assertions never sleep.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
    }

    /// <summary>The sandbox started by <see cref="UseSandboxAsync"/>.</summary>
    public SandboxServer Sandbox => _sandbox ?? throw new InvalidOperationException("Call UseSandboxAsync first.");

    /// <summary>
    /// Starts a sandbox on a free loopback port and registers the dashboard's backend services pointing at it:
    /// <see cref="AwsClients"/>, <see cref="BackendIdentity"/>, <see cref="RegionHealth"/>, <see cref="SandboxControls"/>.
    /// </summary>
    public async Task<SandboxServer> UseSandboxAsync(SandboxOptions? options = null, string[]? regions = null)
    {
        _sandbox = await SandboxServer.StartAsync(options ?? new SandboxOptions());
        Services.AddSingleton(_sandbox);
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Sandbox,
            Regions = regions ?? DemoRegions,
            ServiceUrl = _sandbox.Url.ToString(),
        }));
        Services.AddSingleton(Options.Create(new RegionHealthOptions { ProbeTimeout = TimeSpan.FromSeconds(10) }));
        Services.AddSingleton<AwsClients>();
        Services.AddSingleton<BackendIdentity>();
        Services.AddSingleton<RegionHealth>();
        Services.AddSingleton<SandboxControls>();
        return _sandbox;
    }

    /// <summary>
    /// Signs <paramref name="user"/> in and registers the real authorization services with the dashboard's policies,
    /// so Core and pages evaluate the same roles as in the app.
    /// </summary>
    public void UseSignedInUser(ClaimsPrincipal user)
    {
        Services.AddDashboardAuthorization();
        // bUnit registers placeholders that throw; the real authorization services (last registration wins) evaluate the real policies.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddSingleton<IAuthorizationHandlerProvider, DefaultAuthorizationHandlerProvider>();
        Services.AddSingleton<IAuthorizationHandlerContextFactory, DefaultAuthorizationHandlerContextFactory>();
        Services.AddSingleton<IAuthorizationEvaluator, DefaultAuthorizationEvaluator>();
        Services.AddSingleton<IAuthorizationHandler, PassThroughAuthorizationHandler>();
        Services.AddSingleton<AuthenticationStateProvider>(new FixedUser(user));
    }

    private sealed class FixedUser(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    /// <summary>Renders the MudPopoverProvider once (menus, selects and tooltips render into it) and returns it.</summary>
    public IRenderedComponent<MudPopoverProvider> PopoverProvider => _popoverProvider ??= Render<MudPopoverProvider>();

    /// <summary>Renders <typeparamref name="TComponent"/> after the popover provider, as the layout would.</summary>
    public IRenderedComponent<TComponent> RenderWithPopovers<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent
    {
        _ = PopoverProvider;
        return Render(parameters);
    }

    /// <summary>
    /// Renders <typeparamref name="TComponent"/> as in a circuit (RendererInfo interactive), after the popover provider: for
    /// components that are their page's own interactive island (the key map's view) and say so.
    /// </summary>
    public IRenderedComponent<TComponent> RenderInCircuit<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent
    {
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return RenderWithPopovers(parameters);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        if (_sandbox is not null) await _sandbox.DisposeAsync();
    }
}
