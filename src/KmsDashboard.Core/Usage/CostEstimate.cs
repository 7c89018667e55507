namespace KmsDashboard.Core.Usage;

/// <summary>The estate's estimated monthly KMS bill, per key set and in total, with the arithmetic and the idle keys.</summary>
public sealed record CostEstimate(
    IReadOnlyList<CostLine> Lines,
    int AwsManagedKeys,
    double AccountRequests30Days,
    decimal RequestCharge,
    IReadOnlyList<IdleKey> IdleKeys,
    IReadOnlyList<string> Notes,
    DateTimeOffset ComputedAt)
{
    /// <summary>Each account's part (multi-account only): its key sets' lines, summed.</summary>
    public IReadOnlyList<AccountCost> Accounts { get; init; } = [];

    public int BilledKeys => Lines.Sum(l => l.BilledKeys);
    public decimal KeyCost => Lines.Sum(l => l.KeyCost);
    public decimal RotationCost => Lines.Sum(l => l.RotationCost);
    public decimal Total => KeyCost + RotationCost + RequestCharge;

    public double BillableRequests => Math.Max(0, AccountRequests30Days - KmsPricing.FreeRequestsPerMonth);

    /// <summary>The request charge written out.</summary>
    public string RequestArithmetic =>
        $"({AccountRequests30Days:N0} requests − {KmsPricing.FreeRequestsPerMonth:N0} free) ÷ 10,000 × {Usd.Format(KmsPricing.Per10kRequests)} = {Usd.Format(RequestCharge)}";

    public string TotalArithmetic =>
        $"{BilledKeys} keys × {Usd.Format(KmsPricing.KeyMonth, 0)} = {Usd.Format(KeyCost)} + rotations {Usd.Format(RotationCost)} + requests {Usd.Format(RequestCharge)} = {Usd.Format(Total)} a month";
}

/// <summary>
/// One account's part of the estimate: its key sets' keys, rotations and share of the request charge, and its own
/// requests of the past 30 days.
/// </summary>
public sealed record AccountCost(string Id, string Label, IReadOnlyList<CostLine> Lines, double Requests30Days)
{
    public int BilledKeys => Lines.Sum(l => l.BilledKeys);
    public decimal KeyCost => Lines.Sum(l => l.KeyCost);
    public decimal RotationCost => Lines.Sum(l => l.RotationCost);
    public decimal RequestCost => Lines.Sum(l => l.RequestCost);
    public decimal Total => KeyCost + RotationCost + RequestCost;
}
