using System.Globalization;
using System.Security.Claims;
using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace KmsDashboard.Web.Features.Runbooks;

/// <summary>One runbook: its steps, the next one planned and confirmed here, pause/resume, rollback, extra steps and exports.</summary>
public partial class RunbookPage : IDisposable
{
    [Inject] private RunbookService Runbooks { get; set; } = default!;
    [Inject] private ApprovalService Approvals { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Parameter] public Guid Id { get; set; }

    private RunbookView? _view;
    private RunbookPlan? _plan;
    private bool _missing, _busy, _planning, _isAdmin, _holdsLease;
    private string? _message, _typed, _takeOverReason;
    /// <summary>What the operator typed into the current step's inputs, by key (numbers as invariant text).</summary>
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private Severity _messageSeverity = Severity.Info;
    private ClaimsPrincipal _user = new();

    private bool CanRun => !_busy && _stepRequest is null && _plan is { CanExecute: true } plan && plan.IsConfirmedBy(_typed);

    private string RunLabel => _plan is { Calls.Count: var n and > 0 }
        ? $"{(_stepNeedsApproval ? "Request approval" : "Run step")} ({n} call{(n == 1 ? "" : "s")})"
        : "Record step";

    // The two-person rule for steps 8–9: the current step's open request, if any, kept up to date.
    private bool _stepNeedsApproval;
    private ApprovalRequest? _stepRequest;
    private IDisposable? _approvalWatch;

    protected override async Task OnParametersSetAsync()
    {
        _user = (await Authentication.GetAuthenticationStateAsync()).User;
        _isAdmin = await Runbooks.IsAllowedAsync(_user, DashboardPolicies.CanAdminister);
        await LoadAsync();
        _approvalWatch ??= Approvals.Changed(() => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }));
    }

    private async Task LoadAsync()
    {
        _view = await Runbooks.GetAsync(Id, CancellationToken.None);
        _missing = _view is null;
        _holdsLease = _view?.Runbook.LeaseHolderId == RunbookUser.From(_user).Id;
        if (_plan is not null && (_view?.Runbook.CurrentStep != _plan.StepIndex)) _plan = null;
        var current = _view?.Current;
        _stepNeedsApproval = current is not null && _view!.StepOf(current) is { } step && Approvals.IsRequired(step);
        _stepRequest = _stepNeedsApproval ? await Approvals.PendingForStepAsync(Id, current!.Index, CancellationToken.None) : null;
    }

    private async Task RunOrRequestAsync()
    {
        if (!_stepNeedsApproval || _plan is not { Calls.Count: > 0 })
        {
            await RunAsync();
            return;
        }
        if (!CanRun) return;
        _busy = true;
        try
        {
            var outcome = await Approvals.RequestStepAsync(_user, _plan, _typed, CancellationToken.None);
            Say(outcome.Message, outcome.Done ? Severity.Info : Severity.Error);
            if (outcome.Done) _plan = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose() => _approvalWatch?.Dispose();

    private async Task PlanAsync()
    {
        _busy = _planning = true;
        _message = null;
        try
        {
            var options = new RunbookStepOptions { Values = InputValues() };
            _plan = await Runbooks.PlanStepAsync(_user, Id, options, CancellationToken.None);
            _typed = null;
            await LoadAsync();
        }
        finally
        {
            _busy = _planning = false;
        }
    }

    private async Task RunAsync()
    {
        if (_plan is null) return;
        _busy = true;
        try
        {
            var result = await Runbooks.ExecuteAsync(_user, _plan, _typed, CancellationToken.None);
            Say(result.Summary, result.Refused || result.State == RunbookStepState.Failed ? Severity.Error
                : result.State == RunbookStepState.Partial ? Severity.Warning : Severity.Success);
            _plan = null;
            _inputs.Clear();
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The current step's inputs as given, numbers falling back to their defaults.</summary>
    private Dictionary<string, string> InputValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputs = _view?.Current is { } current && _view.StepOf(current) is { } step ? step.Inputs : [];
        foreach (var input in inputs)
        {
            if (_inputs.TryGetValue(input.Key, out var given) && !string.IsNullOrWhiteSpace(given)) values[input.Key] = given;
            else if (input.Default is { } fallback) values[input.Key] = fallback.ToString(CultureInfo.InvariantCulture);
        }
        return values;
    }

    private int NumberOf(RunbookStepInput input) =>
        _inputs.TryGetValue(input.Key, out var given) && int.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : input.Default ?? 0;

    private string TextOf(RunbookStepInput input) => _inputs.GetValueOrDefault(input.Key) ?? "";

    private void SetInput(RunbookStepInput input, string value) => _inputs[input.Key] = value;

    private Task PauseAsync() => ActAsync(() => Runbooks.PauseAsync(_user, Id, CancellationToken.None), "Paused.");
    private Task ResumeAsync() => ActAsync(() => Runbooks.ResumeAsync(_user, Id, CancellationToken.None), "Resumed.");
    private Task RollBackAsync() => ActAsync(() => Runbooks.RollBackAsync(_user, Id, CancellationToken.None), "Rollback steps added: plan them one by one below.");
    private Task AddExtraAsync(string name) => ActAsync(() => Runbooks.AddExtraStepAsync(_user, Id, name, CancellationToken.None), "Step added: plan it below.");

    private Task TakeOverAsync() => ActAsync(() => Runbooks.TakeOverAsync(_user, Id, _takeOverReason ?? "", CancellationToken.None), "You hold the runbook now.");

    private async Task ReleaseAsync()
    {
        await Runbooks.ReleaseAsync(_user, Id, CancellationToken.None);
        _plan = null;
        await LoadAsync();
    }

    private async Task ActAsync(Func<Task<string?>> act, string done)
    {
        _busy = true;
        try
        {
            var refusal = await act();
            Say(refusal ?? done, refusal is null ? Severity.Success : Severity.Error);
            _plan = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private void Say(string message, Severity severity)
    {
        _message = message;
        _messageSeverity = severity;
    }
}
