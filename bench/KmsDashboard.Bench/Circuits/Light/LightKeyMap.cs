using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace KmsDashboard.Bench.Circuits.Light;

/// <summary>
/// The circuits benchmark's steps on the key map with <see cref="LightCircuit"/>s instead of Chromium pages: the same
/// sign-in (a Viewer's cookie, shared by every circuit as one browser context shares it), the same page, the same
/// search, clear and scrolls, each done when the page the server rendered shows its result (the rows, not a timer).
/// </summary>
internal static partial class LightKeyMap
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>An HTTP client signed in through the local sign-in form (antiforgery token and all).</summary>
    public static async Task<(HttpClient Http, CookieContainer Cookies)> SignInAsync(Uri server)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromMinutes(3),
        };
        var form = await http.GetStringAsync("signin?returnUrl=%2F");
        var token = AntiforgeryField().Match(form);
        if (!token.Success) throw new InvalidOperationException("The sign-in form has no antiforgery token (local sign-in off?).");
        using var answer = await http.PostAsync("signin/local", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)),
            new("returnUrl", "/"), new("userName", "bench"), new("roles", "Viewer"),
        ]));
        answer.EnsureSuccessStatusCode();
        if (answer.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/signin", StringComparison.Ordinal) == true)
            throw new InvalidOperationException($"Local sign-in was refused: {answer.RequestMessage.RequestUri}");
        return (http, cookies);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Opens the key map and waits for every row to be counted and the first rows rendered; returns the row count.</summary>
    public static async Task<(LightCircuit Circuit, int Rows)> OpenAsync(HttpClient http, CookieContainer cookies)
    {
        var circuit = await LightCircuit.OpenAsync(http, cookies, "keys", CancellationToken.None);
        int total = 0;
        await circuit.WaitAsync(d => (total = AllRowsShown(d)) > 0 && AtTop(d), Timeout, settled: true);
        return (circuit, total);
    }

    /// <summary>
    /// Rows rendered from the first on: the matrix body's first child (Virtualize's leading spacer) is empty. (Its
    /// first observer calls can briefly start the rows one further down; the next call puts them back.)
    /// </summary>
    public static bool AtTop(LightDom page) =>
        page.ById("key-matrix")?.Descendants().FirstOrDefault(n => n.Name == "tbody") is { } body
        && (body.Children.FirstOrDefault(c => c.Kind == LightNodeKind.Container) ?? body) is { Children: [var spacer, var row, ..] }
        && spacer.Attribute("style")?.StartsWith("height: 0px", StringComparison.Ordinal) == true && row.Attribute("data-key-id") is not null;

    /// <summary>N when #row-count says "Showing N of N rows", else 0.</summary>
    public static int AllRowsShown(LightDom page) =>
        page.ById("row-count")?.Text() is { } text && RowCount().Match(text) is { Success: true } m && m.Groups[1].Value == m.Groups[2].Value
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    public static bool Shows(LightDom page, string countPrefix) => page.ById("row-count")?.Text().StartsWith(countPrefix, StringComparison.Ordinal) == true;

    [GeneratedRegex(@"Showing (\d+) of (\d+) rows")]
    private static partial Regex RowCount();

    /// <summary>The key ids of the matrix's rendered rows, in order.</summary>
    public static List<string> Rows(LightDom page) =>
        page.ById("key-matrix") is { } matrix
            ? [.. matrix.Descendants().Where(n => n.Name == "tr" && n.Attribute("class")?.Contains("key-row", StringComparison.Ordinal) == true)
                .Select(n => n.Attribute("data-key-id")).OfType<string>()]
            : [];

    /// <summary>Scrolls to the end and waits until the observer's calls are answered; returns the last row's key id and the rows then.</summary>
    public static async Task<(string Last, List<string> Rows)> ScrollToEndAsync(LightCircuit circuit)
    {
        circuit.Scroll(toEnd: true);
        await circuit.WaitAsync(d => Rows(d).Count > 0, Timeout, settled: true);
        var rows = circuit.Read(Rows);
        return (rows[^1], rows);
    }

    /// <summary>
    /// One round: search for a key until the matrix shows that key alone, clear the search until it counts every row
    /// and shows the first, scroll to the end until the last row is rendered, back until the first is; each timed from
    /// the event the browser would send to the render batch that shows its result.
    /// </summary>
    public static async Task InteractAsync(LightCircuit circuit, string probe, int total, string first, string last, int rounds, List<(string, double)>? record)
    {
        for (var r = 0; r < rounds; r++)
        {
            await Timed("search", () => circuit.Input("filter-search", probe),
                d => Shows(d, "Showing 1 of") && Rows(d) is [var only] && only == probe);
            await Timed("clear", () => circuit.Input("filter-search", ""),
                d => Shows(d, $"Showing {total} of") && Rows(d) is [var top, ..] && top == first);
            await Timed("scroll_end", () => circuit.Scroll(toEnd: true), d => Rows(d) is [.., var end] && end == last);
            await Timed("scroll_top", () => circuit.Scroll(toEnd: false), d => Rows(d) is [var top, ..] && top == first);
        }

        async Task Timed(string kind, Action act, Func<LightDom, bool> done)
        {
            var start = Stopwatch.GetTimestamp();
            var wait = circuit.WaitAsync(done, Timeout);
            act();
            try
            {
                await wait;
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{kind} ({probe}) never showed its result: {circuit.Read(Rows).Count} rows {string.Join(',', circuit.Read(Rows).Select(r => r[..8]))}, last {last}, first {first}, " +
                    $"count '{circuit.Read(d => d.ById("row-count")?.Text())}', error {circuit.Error}");
            }
            var ms = LightCircuit.Ms(start);
            // Untimed: the calls the result set off (Virtualize's observer) are answered before the next interaction.
            await circuit.WaitAsync(done, Timeout, settled: true);
            if (record is null) return;
            lock (record) record.Add((kind, ms));
        }
    }
}
