using System.Buffers.Binary;
using System.Text;

namespace KmsDashboard.Bench.Circuits.Light;

/// <summary>
/// A circuit's page as the browser would hold it, built from the server's render batches: the binary format of
/// RenderBatchWriter (ASP.NET Core, src/Components/Server/src/Circuits) read as OutOfProcessRenderBatch.ts reads it,
/// and its edits applied as BrowserRenderer.ts applies them, to logical nodes instead of DOM nodes. No HTML parsing,
/// no layout, no CSS, no scripts: what a markup frame holds is kept as a string.
/// </summary>
internal sealed class LightDom
{
    private const int FrameSize = 20, EditSize = 16;
    private readonly Dictionary<int, LightNode> _components = [];
    private readonly Dictionary<ulong, (LightNode Element, string EventName)> _handlers = [];

    /// <summary>The root components' containers, in the order the server attached them.</summary>
    public List<LightNode> Roots { get; } = [];

    /// <summary>Render batches applied.</summary>
    public int Batches { get; private set; }

    /// <summary><c>JS.AttachComponent</c>: a root component's output goes in a container of its own.</summary>
    public void AttachRoot(int componentId)
    {
        var root = new LightNode(LightNodeKind.Container, null) { ComponentId = componentId };
        Roots.Add(root);
        _components[componentId] = root;
    }

    public IEnumerable<LightNode> All() => Roots.SelectMany(r => r.Descendants());

    public LightNode? ById(string id) => All().FirstOrDefault(n => n.Kind == LightNodeKind.Element && n.Attribute("id") == id);

    public LightNode? ByCaptureId(string captureId) => All().FirstOrDefault(n => n.CaptureId == captureId);

    /// <summary>Applies one <c>JS.RenderBatch</c> payload.</summary>
    public void Apply(byte[] data)
    {
        var batch = new Batch(data);
        var updated = batch.Int(data.Length - 20);
        var frames = batch.Int(data.Length - 16) + 4; // after the count
        var disposedComponents = batch.Int(data.Length - 12);
        var disposedHandlers = batch.Int(data.Length - 8);

        for (int i = 0, n = batch.Int(updated); i < n; i++)
        {
            var diff = batch.Int(updated + 4 + i * 4);
            var componentId = batch.Int(diff);
            if (!_components.TryGetValue(componentId, out var container))
                throw new InvalidOperationException($"No element is associated with component {componentId}.");
            ApplyEdits(batch, componentId, container, diff + 8, batch.Int(diff + 4), frames);
        }
        for (int i = 0, n = batch.Int(disposedComponents); i < n; i++)
            _components.Remove(batch.Int(disposedComponents + 4 + i * 4));
        for (int i = 0, n = batch.Int(disposedHandlers); i < n; i++)
        {
            var id = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(disposedHandlers + 4 + i * 8));
            if (_handlers.Remove(id, out var handler) && handler.Element.Handlers?.GetValueOrDefault(handler.EventName) == id)
                handler.Element.RemoveHandler(handler.EventName);
        }
        Batches++;
    }

    private void ApplyEdits(Batch batch, int componentId, LightNode parent, int edits, int count, int frames)
    {
        var depth = 0;
        List<(int From, int To)>? permutation = null;
        for (var e = 0; e < count; e++)
        {
            var edit = edits + e * EditSize;
            var type = batch.Int(edit);
            var sibling = batch.Int(edit + 4);
            var frameIndex = batch.Int(edit + 8);
            switch (type)
            {
                case 1: // PrependFrame
                    InsertFrame(batch, componentId, parent, sibling, frames, frameIndex);
                    break;
                case 2: // RemoveFrame
                    parent.Children.RemoveAt(sibling);
                    break;
                case 3: // SetAttribute
                    ApplyAttribute(batch, parent.Children[sibling], frames + frameIndex * FrameSize);
                    break;
                case 4: // RemoveAttribute
                {
                    var element = parent.Children[sibling];
                    var name = batch.String(batch.Int(edit + 12))!;
                    element.SetAttribute(name, null);
                    break;
                }
                case 5: // UpdateText
                    parent.Children[sibling].Content = batch.String(batch.Int(frames + frameIndex * FrameSize + 4));
                    break;
                case 6: // StepIn
                    parent = parent.Children[sibling];
                    depth++;
                    break;
                case 7: // StepOut
                    parent = parent.Parent!;
                    depth--;
                    break;
                case 8: // UpdateMarkup
                    parent.Children[sibling].Content = batch.String(batch.Int(frames + frameIndex * FrameSize + 4));
                    break;
                case 9: // PermutationListEntry (the target index shares the reference frame's field)
                    (permutation ??= []).Add((sibling, frameIndex));
                    break;
                case 10: // PermutationListEnd
                {
                    var before = parent.Children.ToArray();
                    foreach (var (from, to) in permutation!) parent.Children[to] = before[from];
                    permutation = null;
                    break;
                }
                default:
                    throw new InvalidOperationException($"Unknown edit type {type}.");
            }
        }
        if (depth != 0) throw new InvalidOperationException("Unbalanced StepIn/StepOut in a render batch.");
    }

    /// <summary>Inserts the frame (and its subtree) at the index; returns how many logical children that made.</summary>
    private int InsertFrame(Batch batch, int componentId, LightNode parent, int index, int frames, int frameIndex)
    {
        var frame = frames + frameIndex * FrameSize;
        switch (batch.Int(frame))
        {
            case 1: // Element
            {
                var element = new LightNode(LightNodeKind.Element, parent) { Name = batch.String(batch.Int(frame + 8)), ComponentId = componentId };
                parent.Children.Insert(index, element);
                var end = frameIndex + batch.Int(frame + 4);
                var child = frameIndex + 1;
                for (; child < end && batch.Int(frames + child * FrameSize) == 3; child++)
                    ApplyAttribute(batch, element, frames + child * FrameSize);
                InsertRange(batch, componentId, element, 0, frames, child, end);
                return 1;
            }
            case 2: // Text
                parent.Children.Insert(index, new LightNode(LightNodeKind.Text, parent) { Content = batch.String(batch.Int(frame + 4)) });
                return 1;
            case 3:
                throw new InvalidOperationException("Attribute frames only lead an element's children.");
            case 4: // Component: a container its own diff fills later in the batch
            {
                var id = batch.Int(frame + 8);
                var container = new LightNode(LightNodeKind.Container, parent) { ComponentId = id };
                parent.Children.Insert(index, container);
                _components[id] = container;
                return 1;
            }
            case 5: // Region: its children inline
                return InsertRange(batch, componentId, parent, index, frames, frameIndex + 1, frameIndex + batch.Int(frame + 4));
            case 6: // ElementReferenceCapture: names its parent element, no node
                parent.CaptureId = batch.String(batch.Int(frame + 4));
                return 0;
            case 8: // Markup
                parent.Children.Insert(index, new LightNode(LightNodeKind.Markup, parent) { Content = batch.String(batch.Int(frame + 4)) });
                return 1;
            case 7 or 10: // ComponentRenderMode, NamedEvent: nothing on the client
                return 0;
            default:
                throw new InvalidOperationException($"Unknown frame type {batch.Int(frame)}.");
        }
    }

    private int InsertRange(Batch batch, int componentId, LightNode parent, int index, int frames, int start, int end)
    {
        var first = index;
        for (var i = start; i < end; i++)
        {
            var frame = frames + i * FrameSize;
            index += InsertFrame(batch, componentId, parent, index, frames, i);
            var type = batch.Int(frame);
            // Skip the descendants (the call above took them): elements, components and regions have a subtree length.
            if (type is 1 or 4 or 5) i += batch.Int(frame + 4) - 1;
        }
        return index - first;
    }

    private void ApplyAttribute(Batch batch, LightNode element, int frame)
    {
        var name = batch.String(batch.Int(frame + 4))!;
        var handler = BinaryPrimitives.ReadUInt64LittleEndian(batch.Data.AsSpan(frame + 12));
        if (handler != 0)
        {
            var eventName = name.StartsWith("on", StringComparison.Ordinal) ? name[2..] : name;
            element.SetHandler(eventName, handler);
            _handlers[handler] = (element, eventName);
            return;
        }
        element.SetAttribute(name, batch.String(batch.Int(frame + 8)));
    }

    /// <summary>The batch's bytes and its string table (BinaryWriter strings: LEB128 length, UTF-8).</summary>
    private readonly struct Batch(byte[] data)
    {
        private readonly int _strings = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(data.Length - 4));
        public byte[] Data { get; } = data;

        public int Int(int at) => BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(at));

        public string? String(int index)
        {
            if (index == -1) return null;
            var at = Int(_strings + index * 4);
            int length = 0, shift = 0;
            byte b;
            do
            {
                b = Data[at++];
                length |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return Encoding.UTF8.GetString(Data, at, length);
        }
    }
}
