using System.Reflection;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// Every key action the dashboard offers, registered once: each concrete <see cref="KeyAction"/> in Core is discovered,
/// and more can be added to the container with <see cref="ActionsServiceCollectionExtensions.AddKeyAction{TAction}"/>.
/// <see cref="KeyOperations"/> plans only what is here; the action bar, the dialog and the journal's filter list it.
/// </summary>
public sealed class KeyActionCatalog
{
    private readonly Dictionary<string, KeyAction> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, KeyAction> _byRequest = [];

    /// <summary>The actions Core defines, discovered once.</summary>
    public static KeyActionCatalog BuiltIn { get; } = new([]);

    public KeyActionCatalog(IEnumerable<KeyAction> registered)
    {
        foreach (var action in Discover().Concat(registered))
        {
            if (_byName.TryGetValue(action.Name, out var existing))
            {
                if (existing.GetType() == action.GetType()) continue;
                throw new InvalidOperationException($"Two key actions are named {action.Name}: {existing.GetType().Name} and {action.GetType().Name}.");
            }
            if (_byRequest.TryGetValue(action.RequestType, out var other))
                throw new InvalidOperationException($"{action.GetType().Name} and {other.GetType().Name} both plan {action.RequestType.Name}.");
            _byName[action.Name] = action;
            _byRequest[action.RequestType] = action;
        }
        All = [.. _byName.Values.Order()];
    }

    /// <summary>Every action, in the action bar's order.</summary>
    public IReadOnlyList<KeyAction> All { get; }

    public KeyAction? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The action that plans <paramref name="request"/>, or null when none is registered for its type.</summary>
    public KeyAction? For(KeyActionRequest request) => _byRequest.GetValueOrDefault(request.GetType());

    private static IEnumerable<KeyAction> Discover() =>
        typeof(KeyAction).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(KeyAction).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (KeyAction)typeof(KeyAction).GetMethod(nameof(KeyAction.Of), BindingFlags.Public | BindingFlags.Static)!.MakeGenericMethod(t).Invoke(null, null)!);
}
