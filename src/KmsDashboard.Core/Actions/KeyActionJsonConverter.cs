using System.Text.Json;
using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Actions;

/// <summary>A <see cref="KeyAction"/> in JSON is its name (as the journal's inputs have always shown it).</summary>
public sealed class KeyActionJsonConverter : JsonConverter<KeyAction>
{
    public override KeyAction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } name
            ? KeyActionCatalog.BuiltIn.Find(name) ?? throw new JsonException($"'{name}' is not a key action.")
            : null;

    public override void Write(Utf8JsonWriter writer, KeyAction value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
