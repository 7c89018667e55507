namespace KmsDashboard.Core.Usage;

/// <summary>The monthly estimate for one key set (a multi-Region key with its replicas, or a single-Region key).</summary>
public sealed record CostLine(
    string KeyId,
    string Name,
    IReadOnlyList<string> Regions,
    int BilledKeys,
    int Rotations,
    bool RotationsEstimated,
    double Requests30Days,
    decimal KeyCost,
    decimal RotationCost,
    decimal RequestCost)
{
    /// <summary>The account of the key set: "" in the single-account set-up.</summary>
    public string Account { get; init; } = "";

    public decimal Total => KeyCost + RotationCost + RequestCost;

    /// <summary>The sum written out, e.g. "3 keys × $1 + 3 × 2 rotations × $1 + 41% of requests $0.52 = $9.52".</summary>
    public string Arithmetic =>
        $"{BilledKeys} key{(BilledKeys == 1 ? "" : "s")} × {Usd.Format(KmsPricing.KeyMonth, 0)}"
        + (RotationCost > 0 ? $" + {BilledKeys} × {Math.Min(Rotations, KmsPricing.BilledRotations)} rotation{(Math.Min(Rotations, KmsPricing.BilledRotations) == 1 ? "" : "s")} × {Usd.Format(KmsPricing.RotationMonth, 0)}" : "")
        + $" + requests {Usd.Format(RequestCost)} = {Usd.Format(Total)}";
}
