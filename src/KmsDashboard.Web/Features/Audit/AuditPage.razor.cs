using System.Globalization;
using KmsDashboard.Core.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace KmsDashboard.Web.Features.Audit;

public partial class AuditPage
{
    private const int MaxPerRegion = 2000;
    // What one circuit may hold of a search: events carry no raw record here (about 1 KB each), so this is ~8,000 events.
    private const long MaxBytes = 8 * 1024 * 1024;
    private const string TimeFormat = "yyyy-MM-dd HH:mm";
    private static readonly (string Label, int Hours)[] Presets = [("Last hour", 1), ("24 hours", 24), ("7 days", 168), ("30 days", 720), ("90 days", 2160)];

    [Inject] private AuditService Audit { get; set; } = default!;
    [Inject] private AuditExportTracker Exports { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "regions")] public string? RegionsParameter { get; set; }
    [SupplyParameterFromQuery(Name = "keyset")] public string? KeySetParameter { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromParameter { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParameter { get; set; }
    [SupplyParameterFromQuery(Name = "filter")] public string? FilterParameter { get; set; }
    [SupplyParameterFromQuery(Name = "value")] public string? ValueParameter { get; set; }
    [SupplyParameterFromQuery(Name = "event")] public string? EventParameter { get; set; }
    [SupplyParameterFromQuery(Name = "user")] public string? UserParameter { get; set; }
    [SupplyParameterFromQuery(Name = "readonly")] public string? ReadOnlyParameter { get; set; }
    [SupplyParameterFromQuery(Name = "account")] public string? AccountParameter { get; set; }

    private IReadOnlyList<KmsDashboard.Core.Aws.Accounts.AwsAccount> _accounts = [];
    private string _account = "";

    private IReadOnlyCollection<string> _regions = [];
    private bool _keySetRegions;
    private string _from = "", _to = "";
    private AuditFilterKind _filter;
    private string _value = "";
    private string _narrowEvent = "", _narrowUser = "", _narrowReadOnly = "any";
    private AuditSearchProgress? _progress;
    private AuditActivityGrouping _activityBy = AuditActivityGrouping.EventName;
    private (IReadOnlyList<AuditEvent> Events, AuditActivityGrouping By, AuditActivity Activity)? _activity;
    private AuditActivitySelection? _selection;
    private (IReadOnlyList<AuditEvent> Events, AuditActivitySelection? Selection, IReadOnlyList<AuditEvent> Shown)? _shown;
    private string? _record, _recordError;
    private CancellationTokenSource? _recordCts;
    private IReadOnlyList<string> _problems = [];
    private IReadOnlyList<string> _plannedRegions = [];
    private bool _searching;
    private AuditSearchResult? _result;
    private AuditEvent? _selected;
    private bool _drawerOpen;
    private string _exportId = NewId();
    private AuditExportTracker.Entry? _export;
    private CancellationTokenSource _cts = new();
    private Timer? _exportTimer;
    private string? _lastSearched;
    // The dashboard's own refreshes and probes would drown everything else: hidden unless asked for.
    private bool _hideOwnReads = true;
    private (AuditSearchResult Result, bool Hide, IReadOnlyList<AuditEvent> Events)? _visible;

    /// <summary>The events the grid shows: all of them, or all but this dashboard's own reads.</summary>
    private IReadOnlyList<AuditEvent> Visible
    {
        get
        {
            if (_result is null) return [];
            if (_visible is { } v && ReferenceEquals(v.Result, _result) && v.Hide == _hideOwnReads) return v.Events;
            var events = _hideOwnReads ? [.. _result.Events.Where(e => !e.IsDashboardRead)] : _result.Events;
            _visible = (_result, _hideOwnReads, events);
            return events;
        }
    }

    /// <summary>The events of the table: the visible ones, or those of the bar clicked in the activity chart.</summary>
    private IReadOnlyList<AuditEvent> Shown
    {
        get
        {
            var visible = Visible;
            if (_selection is null) return visible;
            if (_shown is { } s && ReferenceEquals(s.Events, visible) && s.Selection == _selection) return s.Shown;
            IReadOnlyList<AuditEvent> shown = [.. visible.Where(_selection.Matches)];
            _shown = (visible, _selection, shown);
            return shown;
        }
    }

    /// <summary>The activity chart of the visible events over the query's window.</summary>
    private AuditActivity Activity
    {
        get
        {
            var visible = Visible;
            if (_activity is { } a && ReferenceEquals(a.Events, visible) && a.By == _activityBy) return a.Activity;
            var query = _result!.Plan.Query;
            var activity = AuditActivity.Build(visible, query.Start, query.End, _activityBy);
            _activity = (visible, _activityBy, activity);
            return activity;
        }
    }

    private void OnActivityByChanged(AuditActivityGrouping by)
    {
        _activityBy = by;
        _selection = null;
    }

    private void OnSelect(AuditActivitySelection selection) => _selection = selection;

    private void ClearSelection() => _selection = null;

    private int OwnReads => _result?.Events.Count(e => e.IsDashboardRead) ?? 0;

    private string Placeholder => _filter switch
    {
        AuditFilterKind.Key => "alias/payments-prod or mrk-…",
        AuditFilterKind.EventName => "Decrypt",
        AuditFilterKind.User => "alice",
        AuditFilterKind.AccessKey => "AKIA…",
        AuditFilterKind.ReadOnly => "true or false",
        _ => "",
    };

    protected override async Task OnParametersSetAsync()
    {
        var query = AuditQuery.FromParameters(name => name switch
        {
            "regions" => RegionsParameter, "keyset" => KeySetParameter, "from" => FromParameter, "to" => ToParameter,
            "filter" => FilterParameter, "value" => ValueParameter, "event" => EventParameter, "user" => UserParameter,
            "readonly" => ReadOnlyParameter, "account" => AccountParameter, _ => null,
        }, Audit.Now.AddHours(-24), Audit.Now, Audit.ConfiguredRegions);
        if (Audit.MultiAccount && _accounts.Count == 0)
        {
            try
            {
                _accounts = await Audit.ListAccountsAsync(_cts.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // An organization whose accounts cannot be listed: the search says so (Core refuses with the reason).
                _problems = [$"The accounts could not be listed: {ex.Message}"];
            }
        }
        _account = query.Account;
        _regions = [.. query.Regions];
        _keySetRegions = query.KeySetRegions;
        _from = query.Start.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        _to = query.End.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        _filter = query.Filter;
        _value = query.Value;
        _narrowEvent = query.EventName;
        _narrowUser = query.User;
        _narrowReadOnly = query.ReadOnly switch { true => "true", false => "false", null => "any" };
        // The query lives in the URL: a shared or reopened link runs its search (once interactive, not while prerendering).
        var current = new Uri(Navigation.Uri).Query;
        if (RendererInfo.IsInteractive && FromParameter is not null && current != _lastSearched)
        {
            _lastSearched = current;
            await RunAsync(query);
        }
    }

    private void OnRegionsChanged(IEnumerable<string> regions) => _regions = [.. regions];

    private void SetRange(int hours)
    {
        var now = Audit.Now;
        _to = now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        _from = now.AddHours(-hours).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
    }

    private Task SearchAsync()
    {
        if (!TryTime(_from, out var start) || !TryTime(_to, out var end))
        {
            _problems = ["Write times as yyyy-MM-dd HH:mm (UTC)."];
            return Task.CompletedTask;
        }
        // "To" is shown to the minute: the last minute is included whole, but never past now.
        if (end.Second == 0) end = end.AddSeconds(59) < Audit.Now ? end.AddSeconds(59) : Audit.Now;
        var query = new AuditQuery
        {
            Regions = [.. Audit.ConfiguredRegions.Where(_regions.Contains)],
            KeySetRegions = _keySetRegions,
            Start = start,
            End = end,
            Filter = _filter,
            Value = _filter == AuditFilterKind.None ? "" : _value?.Trim() ?? "",
            EventName = _filter == AuditFilterKind.EventName ? "" : _narrowEvent?.Trim() ?? "",
            User = _filter == AuditFilterKind.User ? "" : _narrowUser?.Trim() ?? "",
            ReadOnly = _filter == AuditFilterKind.ReadOnly ? null : _narrowReadOnly switch { "true" => true, "false" => false, _ => null },
            Account = _account,
        };
        var problems = query.Validate(Audit.Now, [.. Audit.ConfiguredRegions]);
        if (problems.Count > 0)
        {
            _problems = problems;
            return Task.CompletedTask;
        }
        Navigation.NavigateTo("/audit?" + query.ToQueryString());
        return Task.CompletedTask;
    }

    private async Task RunAsync(AuditQuery query)
    {
        await _cts.CancelAsync();
        _cts = new CancellationTokenSource();
        var token = _cts.Token;
        _problems = [];
        _searching = true;
        _result = null;
        _export = null;
        _progress = null;
        _selection = null;
        _activity = null;
        _shown = null;
        _visible = null;
        _plannedRegions = query.KeySetRegions ? ["every Region of the key set"] : query.Regions;
        StateHasChanged();
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            // Progress arrives on CloudTrail's threads: hand it to the circuit, at most a few renders a second.
            var lastRender = DateTimeOffset.MinValue;
            var progress = new Progress(p =>
            {
                _progress = p;
                if (DateTimeOffset.UtcNow - lastRender < TimeSpan.FromMilliseconds(250) && p.Regions.Any(r => !r.Done)) return;
                lastRender = DateTimeOffset.UtcNow;
                _ = InvokeAsync(() => { if (!token.IsCancellationRequested) StateHasChanged(); });
            });
            _result = await Audit.SearchAsync(query, user, new AuditSearchLimits(MaxPerRegion, MaxBytes) { KeepRecords = false }, progress, token);
        }
        catch (AuditQueryException ex)
        {
            _problems = ex.Problems;
        }
        catch (AuditAccessDeniedException ex)
        {
            _problems = [ex.Message];
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            if (!token.IsCancellationRequested) _searching = false;
        }
    }

    private void CancelSearch()
    {
        _cts.Cancel();
        _searching = false;
        _problems = ["Search stopped."];
    }

    private async Task Open(AuditEvent e)
    {
        _selected = e;
        _drawerOpen = true;
        _record = null;
        _recordError = null;
        if (e.Record.Length > 0) return;
        _recordCts?.Cancel();
        _recordCts = new CancellationTokenSource();
        var token = _recordCts.Token;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var record = await Audit.ReadRecordAsync(e, user, token);
            if (token.IsCancellationRequested || !ReferenceEquals(_selected, e)) return;
            if (record is null) _recordError = "CloudTrail no longer returns this event.";
            else _record = record;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is KmsDashboard.Core.Aws.AwsServiceException or AuditAccessDeniedException or HttpRequestException)
        {
            if (ReferenceEquals(_selected, e)) _recordError = $"The record could not be read: {ex.Message}";
        }
    }

    private void CloseDetail()
    {
        _recordCts?.Cancel();
        _drawerOpen = false;
        _selected = null;
        _record = null;
    }

    /// <summary>Reports without posting to a synchronization context (the handler marshals to the circuit itself).</summary>
    private sealed class Progress(Action<AuditSearchProgress> report) : IProgress<AuditSearchProgress>
    {
        public void Report(AuditSearchProgress value) => report(value);
    }

    private async Task StartTrackingExport()
    {
        var id = _exportId;
        var user = Core.Security.DashboardUser.From((await Authentication.GetAuthenticationStateAsync()).User).Name;
        _exportId = NewId();
        _exportTimer?.Dispose();
        _exportTimer = new Timer(_ => InvokeAsync(() =>
        {
            _export ??= Exports.Find(id, user);
            if (_export?.Finished == true) _exportTimer?.Change(Timeout.Infinite, Timeout.Infinite);
            StateHasChanged();
        }), null, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(500));
    }

    private void CancelExport() => _export?.Cancel.Cancel();

    private static string ExportText(AuditExportTracker.Entry export)
    {
        var p = export.Progress;
        if (export.Error is { } error) return error == "cancelled" ? $"Export cancelled after {p?.Events ?? 0} events." : $"Export failed: {error}";
        if (export.Finished && export.Result is { } r)
            return r.Complete ? $"Export complete: {r.Events} events, {r.Pages} pages, {r.Regions.Count} Regions in {r.Elapsed.TotalSeconds:0} s."
                              : $"Export incomplete: {r.Events} events; {string.Join("; ", r.Regions.Where(x => x.Error is not null).Select(x => $"{x.Label}: {x.Error}"))}";
        if (p is null) return "Starting export…";
        var eta = p.EstimatedRemaining is { } left ? $" · about {Math.Ceiling(left.TotalSeconds)} s left at CloudTrail's 2 requests/s" : "";
        return $"{p.Events} events · {p.Pages} pages · {p.RegionsDone}/{p.RegionsTotal} Regions done{eta}";
    }

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>mrk-374e21e5… : enough to tell keys apart in the grid; the full ARNs are in the tooltip and the drawer.</summary>
    private static string Short(string keyId) => keyId.Length > 14 ? keyId[..12] + "…" : keyId;

    /// <summary>The account cell's tooltip: its name and id ("demo-payments (444455556666)").</summary>
    private static string AccountTitle(AuditEvent e) => e.AccountName.Length > 0 && e.AccountName != e.Account ? $"{e.AccountName} ({e.Account})" : e.Account;

    private static string RegionCount(int count) => count == 1 ? "1 Region" : $"{count} Regions";

    private static string AccountCount(int count) => count == 1 ? "1 account" : $"{count} accounts";

    /// <summary>An account whose role could not be assumed: every Region of it failed with the same reason, before any call.</summary>
    private sealed record FailingAccount(string Account, string Label, string Error, DateTimeOffset? Since, int Regions);

    /// <summary>The accounts of the result that could not be read at all, shown like a failing Region (what failed and since when).</summary>
    private IReadOnlyList<FailingAccount> FailingAccounts =>
        _result is not { Plan.MultiAccount: true } result ? [] :
        [.. result.Regions.Where(r => r.Account.Length > 0).GroupBy(r => r.Account)
            .Where(g => g.All(r => r.FailingSince is not null && r.Error is not null))
            .Select(g => new FailingAccount(g.Key, result.Plan.Accounts.FirstOrDefault(a => a.Id == g.Key)?.Label ?? g.Key, g.First().Error!, g.Min(r => r.FailingSince), g.Count()))];

    private static string NewId() => Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        _recordCts?.Cancel();
        _exportTimer?.Dispose();
    }
}
