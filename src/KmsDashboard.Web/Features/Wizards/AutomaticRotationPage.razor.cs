using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Rotation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace KmsDashboard.Web.Features.Wizards;

public partial class AutomaticRotationPage : IDisposable
{
    [Inject] private AutomaticRotationService Rotation { get; set; } = default!;
    [Inject] private KeyInventory Inventory { get; set; } = default!;
    [Inject] private KeyOperations Operations { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>A key set to choose at once (from the key page).</summary>
    [SupplyParameterFromQuery(Name = "key")] public string? Key { get; set; }
    [SupplyParameterFromQuery(Name = "rotationOff")] public bool? RotationOff { get; set; }
    [SupplyParameterFromQuery(Name = "tag")] public string? Tag { get; set; }
    [SupplyParameterFromQuery(Name = "region")] public string? Region { get; set; }
    /// <summary>Only this account's key sets, when the dashboard reads several (from the key page or the key map).</summary>
    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }

    private readonly List<BreadcrumbItem> _crumbs = [new("Wizards", "wizards"), new("Automatic rotation", null, disabled: true)];
    private RotationCandidateFilter _filter = new();
    private IReadOnlyList<RotationCandidate> _candidates = [];
    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private string _periodText = KeyInputRules.DefaultRotationPeriodDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private AutomaticRotationPlan? _plan;
    private AutomaticRotationResult? _result;
    private string? _typed;
    private bool _planning, _executing, _invalidated, _allowed, _readOnly;
    private IDisposable? _subscription;

    private bool Busy => _planning || _executing;
    private bool CanConfirm => !Busy && _allowed && _result is null && _plan is { CanExecute: true } plan && plan.IsConfirmedBy(_typed);

    private Severity ResultSeverity => _result?.Outcome switch
    {
        ActionOutcome.Succeeded => Severity.Success,
        ActionOutcome.PartiallySucceeded => Severity.Warning,
        _ => Severity.Error,
    };

    protected override async Task OnInitializedAsync()
    {
        _filter = new RotationCandidateFilter { RotationOff = RotationOff ?? false, Tag = Tag ?? "", Region = Region ?? "", Account = Rotation.MultiAccount ? Account ?? "" : "" };
        Reload();
        if (!string.IsNullOrEmpty(Key) && _candidates.FirstOrDefault(c => c.KeyId == Key && (string.IsNullOrEmpty(Account) || c.Account == Account)) is { CanRotate: true } chosen)
            _selected.Add(chosen.Reference);
        _readOnly = Operations.IsReadOnly;
        _allowed = await Rotation.IsAllowedAsync((await Authentication.GetAuthenticationStateAsync()).User);
        // A refreshed inventory refreshes the list, never the plan on screen (that was read fresh when planned).
        _subscription = Inventory.Changed(() => InvokeAsync(() => { Reload(); StateHasChanged(); }));
    }

    private void Reload()
    {
        _candidates = Rotation.Candidates(_filter);
        _selected.IntersectWith(_candidates.Where(c => c.CanRotate).Select(c => c.Reference));
    }

    /// <summary>Any change to what is asked puts the shown plan away: it no longer describes the choice.</summary>
    private void Invalidate()
    {
        if (_plan is not null && _result is null) _invalidated = true;
        if (_result is null) _plan = null;
        _typed = null;
    }

    private void SetFilter(RotationCandidateFilter filter)
    {
        _filter = filter;
        Reload();
        Invalidate();
    }

    private void SetPeriod(string value)
    {
        _periodText = value;
        Invalidate();
    }

    private void Toggle((string KeyId, bool Chosen) change)
    {
        if (change.Chosen) _selected.Add(change.KeyId); else _selected.Remove(change.KeyId);
        Invalidate();
    }

    private void ToggleAll(bool chosen)
    {
        if (chosen) _selected.UnionWith(_candidates.Where(c => c.CanRotate).Select(c => c.Reference)); else _selected.Clear();
        Invalidate();
    }

    private async Task PlanAsync()
    {
        if (Busy) return;
        _planning = true;
        _invalidated = false;
        _result = null;
        _typed = null;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            // Key ids, or with several accounts key ARNs, which name each key set's account.
            var keyIds = _candidates.Where(c => _selected.Contains(c.Reference)).Select(c => c.Reference).ToList();
            _plan = await Rotation.PlanAsync(user, new AutomaticRotationRequest { KeyIds = keyIds, RotationPeriod = _periodText }, CancellationToken.None);
        }
        finally
        {
            _planning = false;
        }
    }

    private async Task ExecuteAsync()
    {
        // Double-click guard: the first click disables the button before anything is awaited.
        if (!CanConfirm || _plan is null) return;
        _executing = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            _result = await Rotation.ExecuteAsync(user, _plan, _typed, CancellationToken.None);
            Snackbar.Add(_result.Summary, ResultSeverity);
        }
        finally
        {
            _executing = false;
        }
    }

    private void StartOver()
    {
        _plan = null;
        _result = null;
        _typed = null;
        _selected.Clear();
        Reload();
    }

    public void Dispose() => _subscription?.Dispose();
}
