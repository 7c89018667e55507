using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Runbooks;

/// <summary>Reads an old key set fresh from KMS for the rotation and retire runbooks: its Regions, ARNs and aliases.</summary>
internal static class KeySetReader
{
    /// <summary>Finds the key in the configured Regions and describes its primary; problems say why it cannot be used.</summary>
    public static async Task<(KeyFacts? Primary, IReadOnlyList<KeyFacts> Members, List<string> Problems)> ReadAsync(
        KmsReader reader, IReadOnlyList<string> regions, string? keyId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (KeyInputRules.CheckKeyId(keyId) is { } bad) return (null, [], [bad]);
        var (arnRegion, id) = KeyInputRules.Parse(keyId!);
        if (!KeyInputRules.IsMultiRegionKeyId(id)) return (null, [], [$"{id} is a single-Region key: these runbooks work on multi-Region key sets (mrk-…)."]);
        var found = (await Task.WhenAll((arnRegion is null ? regions : [arnRegion]).Select(r => reader.DescribeAsync(r, id, cancellationToken))))
            .OfType<KeyFacts>().FirstOrDefault();
        if (found is null) return (null, [], [$"No key {id} in the dashboard's Regions ({string.Join(", ", regions)})."]);
        var primaryRegion = found.PrimaryRegion ?? found.Region;
        if (!regions.Contains(primaryRegion)) return (null, [], [$"The key set's primary is in {primaryRegion}, which the dashboard does not address."]);
        var primary = found.Region == primaryRegion ? found : await reader.DescribeAsync(primaryRegion, id, cancellationToken);
        if (primary is null) return (null, [], [$"The primary of {id} in {primaryRegion} could not be found."]);
        var outside = primary.ReplicaRegions.Where(r => !regions.Contains(r)).ToList();
        if (outside.Count > 0) problems.Add($"The key set has replicas in {string.Join(", ", outside)}, which the dashboard does not address.");
        var members = new List<KeyFacts> { primary };
        foreach (var region in primary.ReplicaRegions.Where(regions.Contains))
            if (await reader.DescribeAsync(region, id, cancellationToken) is { } replica) members.Add(replica);
        return (primary, members, problems);
    }

    /// <summary>The aliases pointing at <paramref name="keyId"/> in each Region.</summary>
    public static async Task<List<AliasMove>> AliasesAsync(KmsReader reader, IEnumerable<string> regions, string keyId, CancellationToken cancellationToken)
    {
        var moves = new List<AliasMove>();
        foreach (var region in regions)
            moves.AddRange((await reader.AliasesAsync(region, cancellationToken)).Where(a => a.TargetKeyId == keyId).Select(a => new AliasMove(region, a.Name)));
        return moves;
    }
}
