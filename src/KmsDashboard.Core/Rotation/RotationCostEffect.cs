using System.Globalization;
using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// What turning on (or re-timing) automatic rotation adds to the bill: $1 a month per key for each of the key's first
/// two rotations, counting the rotations it already had. <see cref="MonthlyIncreaseUsd"/> is the increase once the
/// billed rotations have happened; <see cref="Text"/> writes out the arithmetic in USD.
/// </summary>
public sealed record RotationCostEffect(decimal MonthlyIncreaseUsd, string Text)
{
    public static string Usd(decimal amount) => "$" + amount.ToString("#,0.00", CultureInfo.InvariantCulture) + " USD";

    /// <summary>The effect for a key set of <paramref name="billedKeys"/> keys that has had <paramref name="rotationsSoFar"/> rotations.</summary>
    public static RotationCostEffect Estimate(int? rotationsSoFar, int billedKeys, DateTimeOffset? nextRotation, int periodDays)
    {
        if (rotationsSoFar is not { } done)
            return new RotationCostEffect(0, "Unknown: the rotation history could not be read. At most " +
                $"{Usd(KmsPricing.BilledRotations * KmsPricing.RotationMonth * billedKeys)} a month ({KmsPricing.BilledRotations} rotations × " +
                $"{Usd(KmsPricing.RotationMonth)} × {Keys(billedKeys)}).");
        var billed = Math.Max(0, KmsPricing.BilledRotations - done);
        if (billed == 0)
            return new RotationCostEffect(0, $"None: it has had {done} rotations and only the first {KmsPricing.BilledRotations} are billed.");
        var perRotation = KmsPricing.RotationMonth * billedKeys;
        var total = perRotation * billed;
        var had = done == 0 ? "no rotation yet" : $"{done} rotation so far";
        var text = $"+{Usd(perRotation)} a month from the next rotation{On(nextRotation)} ({Usd(KmsPricing.RotationMonth)} × {Keys(billedKeys)})";
        if (billed == 2)
            text += $", +{Usd(total)} a month in all from the one after{On(nextRotation?.AddDays(periodDays))}";
        return new RotationCostEffect(total, $"{text}; {had}, later rotations are free.");
    }

    private static string On(DateTimeOffset? date) => date is { } d ? $" ({d:yyyy-MM-dd})" : "";
    private static string Keys(int n) => n == 1 ? "1 key" : $"{n} keys";
}
