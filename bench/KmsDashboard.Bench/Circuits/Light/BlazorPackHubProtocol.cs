using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace KmsDashboard.Bench.Circuits.Light;

/// <summary>
/// The hub protocol Blazor Server speaks at <c>/_blazor</c>: SignalR's MessagePack protocol under the name
/// "blazorpack" (blazor.web.js does the same: a MessagePackHubProtocol renamed).
/// </summary>
internal sealed class BlazorPackHubProtocol : IHubProtocol
{
    private readonly MessagePackHubProtocol _inner = new();

    public string Name => "blazorpack";
    public int Version => _inner.Version;
    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);
}
