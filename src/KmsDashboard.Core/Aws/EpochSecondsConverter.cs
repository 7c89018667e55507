using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// AWS JSON timestamps: written as epoch seconds (fractional for milliseconds); read from epoch seconds
/// or, as some services send, an ISO 8601 string. Values are UTC <see cref="DateTime"/>s, as in the SDK.
/// </summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return DateTime.UnixEpoch.AddTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerSecond));
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                return DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;
        }
        throw new JsonException($"Expected a timestamp, found {reader.TokenType}.");
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        var ms = (utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        if (ms % 1000 == 0) writer.WriteNumberValue(ms / 1000);
        else writer.WriteNumberValue(ms / 1000.0);
    }
}
