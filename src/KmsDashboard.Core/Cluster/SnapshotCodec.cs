using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// An <see cref="InventorySnapshot"/> as the leader stores it: JSON of each Region's keys and read status, Brotli
/// compressed. Key sets and drift are not stored; the follower computes them again from the keys (as the leader did).
/// </summary>
internal static class SnapshotCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Only what a snapshot is made of: computed properties (DisplayName, Ref, Healthy, ...) are not written.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WritableOnly } },
    };

    public static byte[] Encode(InventorySnapshot snapshot)
    {
        var document = new Document(
            snapshot.Regions,
            snapshot.KeysByRegion.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            snapshot.RegionStatus.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            snapshot.ReadAt,
            snapshot.MultiAccount ? snapshot.Accounts : null);
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(brotli, document, Json);
        return buffer.ToArray();
    }

    public static InventorySnapshot Decode(byte[] data)
    {
        using var brotli = new BrotliStream(new MemoryStream(data), CompressionMode.Decompress);
        var document = JsonSerializer.Deserialize<Document>(brotli, Json) ?? throw new InvalidDataException("The published snapshot is empty.");
        // Identical policy documents are held once, as the leader holds them (most keys share a handful of policies).
        var policies = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
        foreach (var (region, list) in document.Keys ?? [])
            keys[region] = [.. list.Select(k => k.Policy is { } p ? k with { Policy = policies.TryGetValue(p, out var pooled) ? pooled : policies[p] = p } : k)];
        return InventorySnapshot.Create(document.Regions ?? [], keys,
            document.Status ?? new Dictionary<string, RegionReadStatus>(StringComparer.Ordinal), document.ReadAt,
            document.Accounts is { Count: > 0 } accounts ? accounts : null);
    }

    private static void WritableOnly(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object) return;
        var constructorParameters = type.Type.GetConstructors().SelectMany(c => c.GetParameters())
            .Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            var property = type.Properties[i];
            if (property.Set is null && !constructorParameters.Contains(property.Name)) type.Properties.RemoveAt(i);
        }
    }

    private sealed record Document(
        IReadOnlyList<string>? Regions,
        Dictionary<string, IReadOnlyList<RegionalKey>>? Keys,
        Dictionary<string, RegionReadStatus>? Status,
        DateTimeOffset? ReadAt,
        IReadOnlyList<AccountReadStatus>? Accounts = null);
}
