using KmsDashboard.Core.Rotation;
using KmsDashboard.Core.Tests.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Rotation;

/// <summary>
/// One sandbox and Core over it (<see cref="ActionsHarness"/>) for a test class, with the rotation wizards' services.
/// Tests make their own keys, so they do not see each other's; a test that injects a fault clears it.
/// </summary>
public sealed class RotationHarnessFixture : IAsyncLifetime
{
    private ActionsHarness? _harness;

    internal ActionsHarness Harness => _harness ?? throw new InvalidOperationException("The harness did not start.");

    public AutomaticRotationService Automatic { get; private set; } = default!;

    public OnDemandRotationService OnDemand { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _harness = await ActionsHarness.StartAsync();
        Automatic = ActivatorUtilities.CreateInstance<AutomaticRotationService>(_harness.Services);
        OnDemand = ActivatorUtilities.CreateInstance<OnDemandRotationService>(_harness.Services);
    }

    /// <summary>Re-reads the whole inventory, so keys made straight through the SDK are candidates.</summary>
    public Task RefreshAsync() => Harness.Inventory.RefreshAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }
}
