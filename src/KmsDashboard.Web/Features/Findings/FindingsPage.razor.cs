using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Features.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Plotly.Blazor;

namespace KmsDashboard.Web.Features.Findings;

public partial class FindingsPage
{
    private const string KeySetWide = "key set / account";

    [Inject] private FindingsService Findings { get; set; } = default!;
    [Inject] private KeyInventory Inventory { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private FindingsReport _report = FindingsReport.Empty;
    private FindingsFilter _filter = new();
    private List<FindingView> _shown = [];
    private List<FindingView> _counting = [];
    private List<Group> _groups = [];
    private List<RegionCount> _regionCounts = [];
    private List<string> _regions = [];
    private DateTimeOffset _now;
    private string? _expanded;
    private bool _evaluating, _canOperate, _canAudit;
    private string? _error;
    private IDisposable? _subscription;
    private PlotlyChart? _plot;
    private IList<ITrace> _trendData = [];
    private Plotly.Blazor.Layout _trendLayout = FindingsTrendPlot.Layout(dark: false);
    private bool? _trendDark;
    private readonly Config _trendConfig = FindingsTrendPlot.Config();
    private bool _redraw;

    private sealed record Group(string Key, string Title, List<FindingView> Items, int? Score, string? Link);

    private sealed record RegionCount(string Region, int Critical, int High, int Total);

    protected override async Task OnInitializedAsync()
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Navigation.ToAbsoluteUri(Navigation.Uri).Query);
        _filter = FindingsFilter.FromQuery(name => query.TryGetValue(name, out var v) ? v.ToString() : null);
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _canOperate = (await Authorization.AuthorizeAsync(user, null, DashboardPolicies.CanOperate)).Succeeded;
        _canAudit = (await Authorization.AuthorizeAsync(user, null, DashboardPolicies.CanAudit)).Succeeded;
        _expanded = query.TryGetValue("finding", out var finding) ? finding.ToString() : null;
        Load();
        _subscription = Findings.Changed(() => InvokeAsync(() =>
        {
            Load();
            StateHasChanged();
        }));
    }

    /// <summary>The app's theme (MainLayout cascades it): the trend's axes, labels and legend follow it.</summary>
    [CascadingParameter(Name = "DarkMode")] public bool DarkMode { get; set; }

    protected override void OnParametersSet()
    {
        if (_trendDark == DarkMode) return;
        _trendDark = DarkMode;
        _trendLayout = FindingsTrendPlot.Layout(DarkMode);
        _redraw = _plot is not null;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_redraw && _plot is not null)
        {
            _redraw = false;
            await _plot.React();
        }
    }

    private void Load()
    {
        var previousTrend = _report.Trend;
        _report = Findings.Current;
        _now = Time.GetUtcNow();
        _regions = [.. Inventory.Current.Regions];
        _counting = [.. _report.Findings.Where(f => f.Counts)];
        _regionCounts = [.. _counting.GroupBy(f => f.Region ?? KeySetWide).Select(g => new RegionCount(g.Key, g.Count(f => f.Severity == FindingSeverity.Critical),
            g.Count(f => f.Severity == FindingSeverity.High), g.Count())).OrderBy(r => r.Region == KeySetWide).ThenByDescending(r => r.Critical).ThenByDescending(r => r.Total)];
        if (!ReferenceEquals(previousTrend, _report.Trend))
        {
            _trendData = FindingsTrendPlot.Traces(_report.Trend);
            _redraw = _plot is not null;
        }
        Apply();
    }

    private void Apply()
    {
        _shown = [.. _filter.Apply(_report.Findings, _now)];
        _groups = _filter.GroupBy == FindingsGrouping.Check
            ? [.. _shown.GroupBy(f => f.Check.Group).OrderBy(g => GroupOrder(g.Key)).Select(g => new Group(g.Key, FindingChecks.GroupTitles.GetValueOrDefault(g.Key, g.Key),
                [.. g.OrderByDescending(f => f.Severity).ThenBy(f => f.KeyName, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.Region, StringComparer.Ordinal)], null, null))]
            : [.. _shown.GroupBy(f => f.KeyId).Select(g => new Group(g.Key, g.First().KeyName,
                [.. g.OrderByDescending(f => f.Severity).ThenBy(f => f.Check.Id, StringComparer.Ordinal).ThenBy(f => f.Region, StringComparer.Ordinal)],
                _report.KeyScores.TryGetValue(g.Key, out var score) ? score : null, g.Key == "account" ? null : $"keys/{g.Key}{(g.First().Account.Length > 0 ? $"?account={g.First().Account}" : "")}"))
              .OrderBy(g => g.Score ?? 100).ThenBy(g => g.Title, StringComparer.OrdinalIgnoreCase)];
    }

    private static int GroupOrder(string group) => int.TryParse(group, out var n) ? n : 99;

    private void Update(FindingsFilter filter)
    {
        _filter = filter;
        Apply();
        Navigation.NavigateTo("findings" + _filter.ToQueryString(), forceLoad: false, replace: true);
    }

    private void Toggle(string id) => _expanded = _expanded == id ? null : id;

    private async Task EvaluateAsync()
    {
        _evaluating = true;
        _error = null;
        try
        {
            await Findings.EvaluateAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = $"The evaluation failed: {ex.Message}";
        }
        finally
        {
            _evaluating = false;
        }
    }

    private bool HidesEvidence(FindingView f) => !_canAudit && (f.Check == FindingChecks.KeyIdInCalls || f.Check == FindingChecks.NoVpcEndpoint
        || (f.Check == FindingChecks.MixedEnvironments && f.Evidence.Any(e => e.Contains("used by", StringComparison.Ordinal))));

    private (RegionalKey Key, IReadOnlyList<RegionalKey> Members)? FixTarget(string keyId, string region, string account)
    {
        var snapshot = Inventory.Current;
        return snapshot.Find(new KeyRef(region, keyId, account)) is { } key ? (key, snapshot.FindById(keyId, snapshot.MultiAccount ? account : null)) : null;
    }

    private async Task OpenFixAsync(KeyAction action, (RegionalKey Key, IReadOnlyList<RegionalKey> Members) target)
    {
        var parameters = new DialogParameters<KeyActionDialog>
        {
            { d => d.Action, action },
            { d => d.Key, target.Key },
            { d => d.Members, target.Members },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false };
        await Dialogs.ShowAsync<KeyActionDialog>(KeyActionRules.Title(action), parameters, options);
    }

    private async Task SuppressAsync(FindingView finding)
    {
        var dialog = await Dialogs.ShowAsync<SuppressDialog>("Suppress finding", new DialogParameters<SuppressDialog> { { d => d.Finding, finding } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: string message }) Snackbar.Add(message, Severity.Info);
    }

    private async Task LiftAsync(long id)
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        var outcome = await Findings.LiftAsync(user, id, CancellationToken.None);
        Snackbar.Add(outcome.Message, outcome.Succeeded ? Severity.Info : Severity.Warning);
    }

    private static string Status(FindingView f) => !f.IsOpen ? "fixed" : f.IsSuppressed ? "suppressed" : f.Stale ? "stale" : "open";

    private static Color SeverityColor(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => Color.Error,
        FindingSeverity.High => Color.Warning,
        FindingSeverity.Medium => Color.Secondary,
        FindingSeverity.Low => Color.Info,
        _ => Color.Default,
    };

    private static Color ScoreColor(double score) => score >= 90 ? Color.Success : score >= 60 ? Color.Warning : Color.Error;

    public void Dispose() => _subscription?.Dispose();
}
