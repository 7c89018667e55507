namespace KmsDashboard.Sandbox.Hosting;

/// <summary>
/// A sandbox service with state that <see cref="SandboxControl.Reset"/> drops (and re-seeds when the demo account is on).
/// Resets run in registration order: KMS first, so services that seed from its keys find them.
/// </summary>
public interface ISandboxResettable
{
    void Reset();
}
