using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>The action's own planner, over fresh reads (<see cref="KeyAction.PlanAsync"/>).</summary>
    private async Task PlanCoreAsync(PlanBuilder b, KeyActionRequest request, string keyId, string region, Aws.Accounts.AwsAccount account, CancellationToken ct)
    {
        var action = _catalog.For(request) ?? throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Unknown key action.");
        // The single account reads with the dashboard's own clients; an account among several through its own role. Either
        // way the blast radius's dependents (S3, grants, CloudTrail callers) are read in the key's account.
        var reader = account.IsDefault ? _reader : new KmsReader(_accounts.Clients(account));
        await action.PlanAsync(new ActionPlanning(b, reader, account.IsDefault ? _clients.Regions : account.Regions, _dependents, keyId, region, account.Id), request, ct);
    }

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
