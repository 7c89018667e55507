using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// A key set (or a single-Region key) as the automatic-rotation wizard lists it, from the inventory snapshot: where
/// its rotation is set (the primary), its Regions, its rotation now, and why KMS cannot rotate it (null when it can).
/// <see cref="BilledKeys"/>: the primary and replicas not pending deletion, each billed for its rotations.
/// </summary>
public sealed record RotationCandidate(
    string KeyId,
    string Name,
    string PrimaryRegion,
    IReadOnlyList<string> Regions,
    bool IsMultiRegion,
    string KeySpec,
    string Origin,
    KeyRotationInfo Rotation,
    IReadOnlyDictionary<string, string> Tags,
    string State,
    int BilledKeys,
    string? Unavailable,
    string Account = "",
    string Arn = "")
{
    public bool CanRotate => Unavailable is null;

    /// <summary>
    /// How the wizard names the key set in a request and a selection: its key id in the single-account set-up, its key
    /// ARN (which names its account) when the dashboard reads several accounts.
    /// </summary>
    public string Reference => Account.Length == 0 || Arn.Length == 0 ? KeyId : Arn;

    /// <summary>The candidates of a snapshot: every key set and customer managed single-Region key not being deleted.</summary>
    public static IReadOnlyList<RotationCandidate> From(InventorySnapshot snapshot)
    {
        var list = new List<RotationCandidate>();
        foreach (var set in snapshot.KeySets)
        {
            var primary = set.Primary;
            var source = primary ?? set.Representative;
            var regions = set.Members.Keys.Concat(primary?.ReplicaRegions ?? []).Append(set.PrimaryRegion).Distinct(StringComparer.Ordinal)
                .OrderBy(r => r != set.PrimaryRegion).ThenBy(r => r, StringComparer.Ordinal).ToList();
            // A key set being deleted (its primary pending deletion, or every member) is no candidate.
            if (primary is { IsPendingDeletion: true } || set.Members.Values.All(m => m.IsPendingDeletion)) continue;
            var unavailable = primary is null
                ? $"The primary's Region ({set.PrimaryRegion}) is not read by the dashboard, and rotation is set on the primary."
                : RotationAvailability.WhyNot(primary.KeySpec, primary.Origin);
            // Keys pending deletion are free; replicas in Regions the dashboard does not read are counted as billed.
            var billed = regions.Count(r => set.Members.GetValueOrDefault(r) is not { IsPendingDeletion: true });
            list.Add(new RotationCandidate(set.KeyId, set.DisplayName, set.PrimaryRegion, regions, true, source.KeySpec, source.Origin,
                primary?.Rotation ?? KeyRotationInfo.NotApplicable, source.Tags, source.State, billed, unavailable, set.Account, source.Arn));
        }
        foreach (var key in snapshot.SingleRegionKeys)
        {
            if (key.IsPendingDeletion) continue;
            list.Add(new RotationCandidate(key.KeyId, key.DisplayName, key.Region, [key.Region], false, key.KeySpec, key.Origin, key.Rotation, key.Tags,
                key.State, 1, RotationAvailability.WhyNot(key.KeySpec, key.Origin), key.Account, key.Arn));
        }
        return list;
    }
}
