namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>One metric in one Region: namespace, name and its dimensions (kept sorted by name, as identity).</summary>
internal sealed class MetricSeriesId : IEquatable<MetricSeriesId>
{
    private readonly string _key;

    public MetricSeriesId(string region, string ns, string name, IEnumerable<KeyValuePair<string, string>> dimensions)
    {
        Region = region;
        Namespace = ns;
        MetricName = name;
        Dimensions = [.. dimensions.OrderBy(d => d.Key, StringComparer.Ordinal)];
        _key = string.Join('\u001f', [region, ns, name, .. Dimensions.Select(d => d.Key + "=" + d.Value)]);
    }

    public string Region { get; }
    public string Namespace { get; }
    public string MetricName { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Dimensions { get; }

    /// <summary>A metric matches a query only with exactly the same dimensions.</summary>
    public bool Matches(string ns, string name, IReadOnlyCollection<KeyValuePair<string, string>> dimensions) =>
        Namespace == ns && MetricName == name && dimensions.Count == Dimensions.Count
        && dimensions.All(d => Dimensions.Any(x => x.Key == d.Key && x.Value == d.Value));

    public string SortKey => _key;

    public bool Equals(MetricSeriesId? other) => other is not null && other._key == _key;
    public override bool Equals(object? obj) => Equals(obj as MetricSeriesId);
    public override int GetHashCode() => _key.GetHashCode(StringComparison.Ordinal);
}
