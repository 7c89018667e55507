using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>A NextToken: the query it belongs to and the last event returned (time, event id).</summary>
internal sealed record LookupToken(string Fingerprint, DateTimeOffset Time, string EventId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        $"{Fingerprint}|{Time.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{EventId}"));

    /// <summary>Decodes a token and checks it was issued for this very query; CloudTrail's error otherwise.</summary>
    public static LookupToken Decode(string token, string fingerprint)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
            if (parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                if (parts[0] != fingerprint)
                    throw new TrailLookupException("InvalidNextTokenException",
                        "The NextToken was issued for a request with different parameters.");
                return new LookupToken(parts[0], new DateTimeOffset(ticks, TimeSpan.Zero), parts[2]);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException) { }
        throw new TrailLookupException("InvalidNextTokenException", "Invalid NextToken.");
    }
}
