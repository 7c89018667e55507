namespace KmsDashboard.Core.Usage;

/// <summary>KMS list prices (AWS-FACTS.md): keys, rotations and requests.</summary>
public static class KmsPricing
{
    /// <summary>Every customer managed key and every replica, per month; keys pending deletion are free.</summary>
    public const decimal KeyMonth = 1.00m;

    /// <summary>Added per month by each of the first two rotations of a key's material; later rotations add nothing.</summary>
    public const decimal RotationMonth = 1.00m;

    public const int BilledRotations = 2;

    /// <summary>Price per 10,000 requests beyond the free tier.</summary>
    public const decimal Per10kRequests = 0.03m;

    public const int FreeRequestsPerMonth = 20_000;
}
