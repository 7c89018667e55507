using System.Globalization;

namespace KmsDashboard.Core.Usage;

/// <summary>
/// Amounts as AWS bills them, in US dollars: "$1,234.56" whatever the server's culture (the invariant culture's
/// currency sign is "¤", and another culture's would name a currency AWS does not bill in).
/// </summary>
public static class Usd
{
    public static string Format(decimal amount, int decimals = 2) =>
        (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Whole dollars where the amount has no cents ("$1"), else two decimals.</summary>
    public static string Short(decimal amount) => Format(amount, amount == decimal.Truncate(amount) ? 0 : 2);
}
