namespace KmsDashboard.Core.Actions;

/// <summary>The current values of an action's inputs, by <see cref="ActionInput.Name"/>, as the dialog edits them.</summary>
public sealed class ActionInputValues
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _initial = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public ActionInputValues(IEnumerable<ActionInput> inputs)
    {
        foreach (var input in inputs)
        {
            var initial = input.Kind == ActionInputKind.Regions ? (object)(input.Initial as IEnumerable<string> ?? []).ToList() : input.Initial;
            _names.Add(input.Name);
            _initial[input.Name] = initial is List<string> list ? list.ToList() : initial;
            _values[input.Name] = initial;
        }
    }

    public object? this[string name]
    {
        get => _values.GetValueOrDefault(name);
        set => _values[name] = value;
    }

    public string? Text(string name) => this[name] as string;
    public int Number(string name) => this[name] is int n ? n : 0;
    public bool Toggle(string name) => this[name] is true;

    /// <summary>A <see cref="ActionInputKind.Regions"/> value, in the order chosen.</summary>
    public IReadOnlyList<string> Regions(string name) => this[name] as IReadOnlyList<string> ?? [];

    public void SetRegion(string name, string region, bool include)
    {
        var list = (this[name] as List<string>)?.ToList() ?? [];
        list.Remove(region);
        if (include) list.Add(region);
        _values[name] = list;
    }

    /// <summary>Whether the value still is the one the dialog opened with.</summary>
    public bool IsInitial(string name) => Fingerprint(_values.GetValueOrDefault(name)) == Fingerprint(_initial.GetValueOrDefault(name));

    /// <summary>Every value as one string: a plan made from other values no longer describes what would run.</summary>
    public string Fingerprint() => string.Join("\u001f", _names.Select(n => Fingerprint(_values.GetValueOrDefault(n))));

    private static string Fingerprint(object? value) => value switch
    {
        null => "",
        IEnumerable<string> list when value is not string => string.Join(",", list.Order(StringComparer.Ordinal)),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
