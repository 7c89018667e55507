using System.Text;

namespace KmsDashboard.Bench.Circuits.Light;

/// <summary>
/// One logical node as blazor.web.js keeps it (LogicalElements.ts): an element, a text, a markup block (one logical
/// child however many HTML nodes its string holds; its HTML is kept, not parsed) or a component's container.
/// </summary>
internal sealed class LightNode
{
    public LightNode(LightNodeKind kind, LightNode? parent) => (Kind, Parent) = (kind, parent);

    public LightNodeKind Kind { get; }
    public LightNode? Parent { get; set; }
    public List<LightNode> Children { get; } = [];
    /// <summary>An element's tag name.</summary>
    public string? Name { get; init; }
    /// <summary>A text's or a markup block's content.</summary>
    public string? Content { get; set; }
    /// <summary>A container's component id; an element's: the component that rendered it (for event field info).</summary>
    public int ComponentId { get; init; }
    public Dictionary<string, string>? Attributes { get; private set; }
    /// <summary>Event name ("input", "change", ...) to the handler id the server gave it.</summary>
    public Dictionary<string, ulong>? Handlers { get; private set; }
    /// <summary>The element reference capture id (<c>@ref</c>, Virtualize's spacers), as JS interop names it.</summary>
    public string? CaptureId { get; set; }
    /// <summary>Bumped whenever an attribute changes (Virtualize's MutationObserver watches its spacers' attributes).</summary>
    public int AttributeVersion { get; private set; }

    public string? Attribute(string name) => Attributes?.GetValueOrDefault(name);

    public void SetAttribute(string name, string? value)
    {
        AttributeVersion++;
        if (value is null)
        {
            Attributes?.Remove(name);
            return;
        }
        (Attributes ??= new(StringComparer.Ordinal))[name] = value;
    }

    public void SetHandler(string eventName, ulong id) => (Handlers ??= new(StringComparer.Ordinal))[eventName] = id;

    public void RemoveHandler(string eventName) => Handlers?.Remove(eventName);

    /// <summary>Depth first, this node included.</summary>
    public IEnumerable<LightNode> Descendants()
    {
        var stack = new Stack<LightNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            for (var i = node.Children.Count - 1; i >= 0; i--) stack.Push(node.Children[i]);
        }
    }

    /// <summary>The text a browser would show: the texts below this node (markup blocks with their tags stripped).</summary>
    public string Text()
    {
        var text = new StringBuilder();
        foreach (var node in Descendants())
        {
            if (node.Kind == LightNodeKind.Text) text.Append(node.Content);
            else if (node.Kind == LightNodeKind.Markup) text.Append(System.Text.RegularExpressions.Regex.Replace(node.Content ?? "", "<[^>]*>", ""));
        }
        return text.ToString();
    }

    public override string ToString() => Kind switch
    {
        LightNodeKind.Element => $"<{Name}{(Attribute("id") is { } id ? " id=" + id : "")}>",
        LightNodeKind.Container => $"[component {ComponentId}]",
        _ => $"{Kind}: {Content}",
    };
}

internal enum LightNodeKind { Element, Text, Markup, Container }
