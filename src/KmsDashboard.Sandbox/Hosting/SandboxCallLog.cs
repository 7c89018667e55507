namespace KmsDashboard.Sandbox.Hosting;

/// <summary>Fan-out of <see cref="SandboxCall"/> events to whoever listens (CloudTrail recorder, CloudWatch metrics).</summary>
public sealed class SandboxCallLog
{
    private readonly Lock _gate = new();
    private ImmutableArrayList _listeners = new([]);

    public IDisposable Subscribe(Action<SandboxCall> listener)
    {
        lock (_gate) _listeners = new([.. _listeners.Items, listener]);
        return new Subscription(() => { lock (_gate) _listeners = new([.. _listeners.Items.Where(l => l != listener)]); });
    }

    public void Publish(SandboxCall call)
    {
        foreach (var listener in _listeners.Items) listener(call);
    }

    private sealed record ImmutableArrayList(Action<SandboxCall>[] Items);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
