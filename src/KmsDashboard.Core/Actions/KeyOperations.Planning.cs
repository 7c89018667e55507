using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    /// <summary>The action's own planner, over fresh reads (<see cref="KeyAction.PlanAsync"/>).</summary>
    private async Task PlanCoreAsync(PlanBuilder b, KeyActionRequest request, string keyId, string region, Aws.Accounts.AwsAccount account, CancellationToken ct)
    {
        var action = _catalog.For(request) ?? throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Unknown key action.");
        // The single account, or the dashboard's own account among several: read with its own clients, dependents included.
        if (account.IsDefault || account.Id == await _accounts.HomeAccountIdAsync(ct))
        {
            await action.PlanAsync(new ActionPlanning(b, _reader, account.IsDefault ? _clients.Regions : account.Regions, _dependents, keyId, region), request, ct);
            return;
        }
        // A member account is read through its own role; its dependents are not read (S3 and grants are read in the
        // dashboard's own account only), which the plan says rather than showing an empty blast radius.
        if (_dependents is not null)
            b.Note($"Dependents (S3 buckets, replication rules, grants, CloudTrail callers) are not read in account {account.Label}: check them there before a destructive change.");
        await action.PlanAsync(new ActionPlanning(b, new KmsReader(_accounts.Clients(account)), account.Regions, null, keyId, region), request, ct);
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
