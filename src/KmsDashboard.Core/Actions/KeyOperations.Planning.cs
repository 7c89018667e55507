using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>The action's own planner, over fresh reads (<see cref="KeyAction.PlanAsync"/>).</summary>
    private Task PlanCoreAsync(PlanBuilder b, KeyActionRequest request, string keyId, string region, CancellationToken ct) =>
        (_catalog.For(request) ?? throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Unknown key action."))
            .PlanAsync(new ActionPlanning(b, _reader, _clients.Regions, _dependents, keyId, region), request, ct);

    /// <summary>What one more rotation adds to the bill: $1 a month per key (and replica) for each of the first two.</summary>
    internal static string RotationCostNote(int rotationsSoFar, int billedKeys)
    {
        if (rotationsSoFar >= KmsPricing.BilledRotations)
            return $"This key already had {rotationsSoFar} rotations: further rotations add nothing to the bill.";
        var added = KmsPricing.RotationMonth * billedKeys;
        return $"This is rotation {rotationsSoFar + 1}: it adds {Usd.Short(added)} a month ({Usd.Short(KmsPricing.RotationMonth)} for each of {billedKeys} key{(billedKeys == 1 ? "" : "s")}); "
            + $"only a key's first {KmsPricing.BilledRotations} rotations are billed.";
    }
}
