using System.Globalization;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>CloudTrail's time formats: ISO-8601 to the second in records, epoch seconds on the wire.</summary>
internal static class TrailClockFormat
{
    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
