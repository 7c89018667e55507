namespace KmsDashboard.Core.Storage;

/// <summary>
/// Runs a store's schema step once per process: the first callers may arrive together (the start-up service and a
/// first request); one migrates, the others wait and find it done. A failed attempt is tried again by the next caller.
/// </summary>
public sealed class SchemaGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _done;

    public async Task EnsureAsync(Func<CancellationToken, Task> migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrate);
        if (Volatile.Read(ref _done) == 1) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _done) == 1) return;
            await migrate(cancellationToken);
            Volatile.Write(ref _done, 1);
        }
        finally
        {
            _gate.Release();
        }
    }
}
