namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// The sandbox KMS account as the other sandbox services see it (CloudWatch traffic, CloudTrail seeding): a snapshot,
/// never the live objects. Due transitions run first, so states are current for the sandbox clock.
/// </summary>
public sealed class KmsSandboxState
{
    private readonly KmsStore _store;

    internal KmsSandboxState(KmsStore store) => _store = store;

    /// <summary>The keys of one Region, or of every Region, ordered by Region then creation.</summary>
    public IReadOnlyList<SandboxKeyView> ListKeys(string? region = null)
    {
        _store.RunDue();
        lock (_store.Gate)
        {
            var keys = region is null ? _store.AllKeys : _store.Keys(region);
            return [.. keys.OrderBy(k => k.Region, StringComparer.Ordinal).ThenBy(k => k.Sequence).Select(k => new SandboxKeyView(
                k.Region, k.KeyId, k.Arn, k.State, k.MultiRegionKeyType,
                [.. _store.AliasesOf(k).Select(a => a.Name)], k.CreationDate, k.AwsManaged))];
        }
    }

    /// <summary>
    /// Lets GetKeyLastUsage also report the modelled background traffic (Region, key ARN, now → the latest modelled use),
    /// so it agrees with the CloudWatch metrics; null turns it off.
    /// </summary>
    public void UseModelledLastUse(Func<string, string, DateTimeOffset, (string Operation, DateTimeOffset Time)?>? model) =>
        _store.ModelledLastUse = model;

    /// <summary>The Regions that hold at least one key.</summary>
    public IReadOnlyList<string> Regions()
    {
        lock (_store.Gate) return [.. _store.Regions.Where(r => _store.Keys(r).Any()).Order(StringComparer.Ordinal)];
    }
}
