using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Bench.Circuits.Light;

/// <summary>
/// One Blazor Server circuit driven without a browser: what blazor.web.js does for the server, and nothing it does
/// for the screen. It GETs the page (prerendered, with the component markers), opens SignalR at <c>/_blazor</c> with
/// the "blazorpack" protocol, starts the circuit and adds the page's root components as blazor.web.js does
/// (<c>StartCircuit</c>, then <c>UpdateRootComponents</c>), applies every render batch to a <see cref="LightDom"/> and
/// acknowledges it (<c>OnRenderCompleted</c>), answers the server's JS interop calls (<see cref="AnswerJs"/>), and
/// raises browser events through the renderer's <c>DispatchEventAsync</c>, with the handler ids the batches gave.
/// Virtualize's scrolling is its IntersectionObserver emulated over a fixed layout (<see cref="VirtualizeViewport"/>).
/// </summary>
internal sealed partial class LightCircuit : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    /// <summary>The window this client answers for: the Chromium generator's viewport.</summary>
    private const int WindowWidth = 1400, WindowHeight = 900;
    private readonly HubConnection _connection;
    private readonly HttpClient _http;
    private readonly LightDom _dom = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<LightDom, bool> Done, bool Settled, TaskCompletionSource Signal)> _waiters = [];
    private int _pendingCalls; // .NET calls from "JS" not answered yet (events, Virtualize's observer)
    private readonly Channel<(string Method, object?[] Args)> _outbox = Channel.CreateUnbounded<(string, object?[])>(new() { SingleReader = true });
    private readonly Dictionary<long, string> _jsObjects = [];
    private readonly Task _sending;
    private long _nextBatch = 2; // the first batch a circuit sends is 2 (RenderQueue.ts)
    private long _rendererInterop; // the DotNetObjectReference of the server's renderer interop methods
    private int _nextCallId;
    private long _nextJsObject;
    private string? _circuitId;
    private string _location;
    private VirtualizeViewport? _viewport;
    private readonly List<Action> _afterAnswer = []; // hub calls the browser makes once a JS call has returned

    private LightCircuit(HubConnection connection, HttpClient http, string location)
    {
        _connection = connection;
        _http = http;
        _location = location;
        _sending = Task.Run(SendLoopAsync);
    }

    /// <summary>The first error the server reported (<c>JS.Error</c>), or a failure in this client.</summary>
    public string? Error { get; private set; }

    /// <summary>JS interop identifiers this circuit was asked to run, with how often (what a browser would have run).</summary>
    public Dictionary<string, int> InteropCalls { get; } = [];

    /// <summary>Opens <paramref name="path"/> as a browser would: GET, then start the circuit and wait for its first render.</summary>
    public static async Task<LightCircuit> OpenAsync(HttpClient http, CookieContainer cookies, string path, CancellationToken ct)
    {
        var page = new Uri(http.BaseAddress!, path);
        var html = await http.GetStringAsync(page, ct);
        var markers = Markers(html);
        if (markers.Count == 0) throw new InvalidOperationException($"No interactive component markers in {page} (signed out?).");
        var state = ServerStateComment().Match(html) is { Success: true } m ? m.Groups["state"].Value : "";

        var builder = new HubConnectionBuilder().WithUrl(new Uri(http.BaseAddress!, "_blazor"), o =>
        {
            o.Cookies = cookies;
            o.Transports = HttpTransportType.WebSockets;
        });
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackHubProtocol>();
        var circuit = new LightCircuit(builder.Build(), http, page.ToString());
        circuit.Listen();
        await circuit._connection.StartAsync(ct);
        var firstRender = circuit.WaitAsync(d => d.Batches > 0, TimeSpan.FromSeconds(60));
        circuit._circuitId = await circuit._connection.InvokeAsync<string?>("StartCircuit", new Uri(http.BaseAddress!, "/").ToString(), page.ToString(), "[]", state, ct)
            ?? throw new InvalidOperationException($"The server refused the circuit: {circuit.Error}");
        // blazor.web.js (WebRootComponentManager): every server marker on the page becomes an "add" operation, numbered
        // in document order from 1, each marker as found less its DOM positions, plus the id the page gave it.
        var operations = new JsonArray();
        for (var i = 0; i < markers.Count; i++)
        {
            markers[i]["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = markers[i] });
        }
        circuit.Send("UpdateRootComponents", new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString(), state);
        await firstRender;
        return circuit;
    }

    /// <summary>The start markers of server components (<c>&lt;!--Blazor:{"type":"server",…}--&gt;</c>), in document order.</summary>
    private static List<JsonObject> Markers(string html) =>
        [.. ComponentComment().Matches(html).Select(m => JsonNode.Parse(m.Groups["json"].Value)!.AsObject())
            .Where(o => o["type"]?.GetValue<string>() == "server")];

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex ComponentComment();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->")]
    private static partial Regex ServerStateComment();

    private void Listen()
    {
        _connection.On<int, string>("JS.AttachComponent", (componentId, _) => { lock (_gate) _dom.AttachRoot(componentId); });
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatch);
        _connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJs);
        _connection.On<string, bool, string>("JS.EndInvokeDotNet", (callId, success, result) =>
        {
            if (!success) Fail($"A .NET call from JS failed (call {callId}): {result}");
            lock (_gate)
            {
                _pendingCalls--;
                CheckWaiters();
            }
        });
        _connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        _connection.On<int, bool>("JS.EndLocationChanging", (_, _) => { });
        _connection.On<string>("JS.Error", error => Fail($"The circuit failed: {error}"));
        _connection.Closed += e =>
        {
            if (e is not null) Fail($"The connection closed: {e.Message}");
            return Task.CompletedTask;
        };
    }

    private void OnRenderBatch(long batchId, byte[] data)
    {
        if (batchId < _nextBatch)
        {
            Send("OnRenderCompleted", batchId, null); // a resent batch: acknowledged again (RenderQueue.ts)
            return;
        }
        if (batchId > _nextBatch) return; // wait for the missing one, as the browser does
        _nextBatch++;
        string? error = null;
        lock (_gate)
        {
            try
            {
                _dom.Apply(data);
                _viewport?.Observe(this);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                error = e.ToString();
            }
            CheckWaiters();
        }
        Send("OnRenderCompleted", batchId, error);
        if (error is not null) Fail($"Batch {batchId} could not be applied: {error}");
    }

    private void OnBeginInvokeJs(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        object? result;
        bool succeeded = true;
        lock (_gate)
        {
            var name = targetInstanceId != 0 ? $"{_jsObjects.GetValueOrDefault(targetInstanceId, "?")}:{identifier}" : identifier;
            InteropCalls[name] = InteropCalls.GetValueOrDefault(name) + 1;
            try
            {
                result = AnswerJs(identifier, JsonNode.Parse(argsJson)?.AsArray() ?? [], targetInstanceId);
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
            {
                result = new { message = e.Message };
                succeeded = false;
            }
            if (resultType == 1 && succeeded) // JSObjectReference: the browser keeps the object and names it by a new id
            {
                var id = ++_nextJsObject;
                _jsObjects[id] = result as string ?? identifier;
                result = new Dictionary<string, long> { ["__jsObjectId"] = id };
            }
            else if (resultType == 3) result = null;
        }
        if (asyncHandle != 0)
            Send("EndInvokeJSFromDotNet", asyncHandle, succeeded, JsonSerializer.Serialize(new object?[] { asyncHandle, succeeded, result }, Json));
        lock (_gate)
        {
            foreach (var after in _afterAnswer) after();
            _afterAnswer.Clear();
            _viewport?.Observe(this); // a Virtualize.init just answered starts observing
        }
    }

    /// <summary>
    /// What the browser's JS would return to the server, for the calls the key map's page makes: Blazor's own
    /// (renderer and navigation set-up, Virtualize's observers, focus), the media query (a 1,400-pixel-wide desktop:
    /// no phone layout) and MudBlazor's (whose answers only place popovers and follow window size; a 1,400 × 900
    /// window answers what is given here). Anything else answers null, as a void JS function would.
    /// </summary>
    private object? AnswerJs(string identifier, JsonArray args, long target)
    {
        if (target != 0)
        {
            return (_jsObjects.GetValueOrDefault(target), identifier) switch
            {
                ("./js/media-query.js", "watch") => false,
                _ => null,
            };
        }
        switch (identifier)
        {
            case "import":
                return args[0]!.GetValue<string>(); // the module's name, kept for calls on it
            case "Blazor._internal.attachWebRendererInterop":
                if (args[0]!.GetValue<int>() == 1) _rendererInterop = args[1]!["__dotNetObject"]!.GetValue<long>();
                return null;
            case "Blazor._internal.navigationManager.navigateTo":
            {
                // Client-side routing (the Router enabled interception): the URL changes, then the server is told.
                var uri = new Uri(new Uri(_location), args[0]!.GetValue<string>()).ToString();
                var forceLoad = args[1]?["forceLoad"]?.GetValue<bool>() ?? false;
                if (forceLoad) throw new InvalidOperationException($"A full page load to {uri} is beyond this client.");
                _location = uri;
                _afterAnswer.Add(() => Send("OnLocationChanged", uri, null, false));
                return null;
            }
            case "Blazor._internal.Virtualize.init":
                _viewport = new VirtualizeViewport(args[0]!["__dotNetObject"]!.GetValue<long>(), args[1]!["__internalId"]!.GetValue<string>(),
                    args[2]!["__internalId"]!.GetValue<string>());
                return null;
            case "Blazor._internal.Virtualize.dispose":
                if (_viewport?.DotNetObjectId == args[0]!["__dotNetObject"]!.GetValue<long>()) _viewport = null;
                return null;
            // MudBlazor (MudBlazor.min.js in the browser), as a light-themed 1,400 × 900 window answers.
            case "mudThemeProvider.isDarkMode":
                return false;
            case "mudResizeListener.getBrowserWindowSize":
                return new { height = WindowHeight, width = WindowWidth };
            case "mudElementRef.getBoundingClientRect":
                return new { top = 0, left = 0, width = WindowWidth, height = WindowHeight, windowHeight = WindowHeight, windowWidth = WindowWidth, scrollX = 0, scrollY = 0 };
            case "mudpopoverHelper.countProviders":
                return 1;
            case "window.hasOwnProperty": // MudBlazor asks whether its script is loaded: it is, in a browser
                return true;
            default: // Blazor's focus and title calls, MudBlazor's listeners (popover, key interceptor, resize, dark mode)
                return null;
        }
    }

    /// <summary>Types <paramref name="value"/> into the input with this id: one <c>input</c> event, as Playwright's fill raises.</summary>
    public void Input(string elementId, string value)
    {
        LightNode element;
        ulong handler;
        lock (_gate)
        {
            element = _dom.ById(elementId) ?? throw new InvalidOperationException($"No #{elementId} on the page.");
            handler = element.Handlers?.GetValueOrDefault("input") ?? throw new InvalidOperationException($"#{elementId} has no input handler.");
        }
        var descriptor = new { eventHandlerId = handler, eventName = "input", eventFieldInfo = new { componentId = element.ComponentId, fieldValue = value } };
        InvokeDotNet("DispatchEventAsync", _rendererInterop, JsonSerializer.Serialize(new object[] { descriptor, new { value } }, Json));
    }

    /// <summary>Scrolls Virtualize's scroll box to its top or its end (its observer's calls follow, as in the browser).</summary>
    public void Scroll(bool toEnd)
    {
        lock (_gate)
        {
            var viewport = _viewport ?? throw new InvalidOperationException("No Virtualize on the page.");
            viewport.ScrollTop = toEnd ? double.MaxValue : 0;
            viewport.Observe(this);
        }
    }

    /// <summary>
    /// Waits until the page satisfies <paramref name="done"/> (checked after every render batch) and, if
    /// <paramref name="settled"/>, every .NET call made from "JS" has been answered (so no render it causes is to come).
    /// </summary>
    public Task WaitAsync(Func<LightDom, bool> done, TimeSpan timeout, bool settled = false)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Error is not null) return Task.FromException(new InvalidOperationException(Error));
            if ((!settled || _pendingCalls == 0) && done(_dom)) return Task.CompletedTask;
            _waiters.Add((done, settled, signal));
        }
        return signal.Task.WaitAsync(timeout);
    }

    /// <summary>Reads the page under the circuit's lock.</summary>
    public T Read<T>(Func<LightDom, T> read)
    {
        lock (_gate) return read(_dom);
    }

    private void CheckWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if ((_waiters[i].Settled && _pendingCalls > 0) || !_waiters[i].Done(_dom)) continue;
            _waiters[i].Signal.TrySetResult();
            _waiters.RemoveAt(i);
        }
    }

    internal void InvokeDotNet(string method, long dotNetObjectId, string argsJson)
    {
        lock (_gate) _pendingCalls++;
        Send("BeginInvokeDotNetFromJS", Interlocked.Increment(ref _nextCallId).ToString(CultureInfo.InvariantCulture), null, method, dotNetObjectId, argsJson);
    }

    private void Fail(string error)
    {
        lock (_gate)
        {
            Error ??= error;
            foreach (var (_, _, signal) in _waiters) signal.TrySetException(new InvalidOperationException(error));
            _waiters.Clear();
        }
    }

    /// <summary>Queues a hub call; one loop sends them in order, as the browser's single connection does.</summary>
    private void Send(string method, params object?[] args) => _outbox.Writer.TryWrite((method, args));

    private async Task SendLoopAsync()
    {
        await foreach (var (method, args) in _outbox.Reader.ReadAllAsync())
        {
            try
            {
                await _connection.SendCoreAsync(method, args);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException or HttpRequestException)
            {
                Fail($"{method} could not be sent: {e.Message}");
            }
        }
    }

    /// <summary>Closes the page as a browser does: the connection, then the disconnect beacon, so the server drops the circuit now.</summary>
    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await _sending;
        await _connection.DisposeAsync();
        if (_circuitId is null) return;
        try
        {
            using var form = new MultipartFormDataContent { { new StringContent(_circuitId), "circuitId" } };
            using var _ = await _http.PostAsync("_blazor/disconnect", form);
        }
        catch (HttpRequestException)
        {
            // The server is gone: nothing to release.
        }
    }

    /// <summary>Stopwatch ticks as milliseconds.</summary>
    public static double Ms(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
