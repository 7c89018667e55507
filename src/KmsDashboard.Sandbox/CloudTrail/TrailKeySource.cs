namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Reads the sandbox's KMS keys for the seeded history (empty while the sandbox serves no KMS).</summary>
internal sealed class TrailKeySource(Func<IReadOnlyList<TrailKey>> read)
{
    public IReadOnlyList<TrailKey> Read() => read();
}
