using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace KmsDashboard.Web.Features.Actions;

public partial class KeyActionDialog : IDisposable
{
    [CascadingParameter] private IMudDialogInstance? MudDialog { get; set; }

    [Inject] private KeyOperations Operations { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ApprovalService Approvals { get; set; } = default!;

    [Parameter, EditorRequired] public KeyAction Action { get; set; } = default!;

    /// <summary>The key in the Region the action is taken in.</summary>
    [Parameter, EditorRequired] public RegionalKey Key { get; set; } = default!;

    /// <summary>Every Region's key of the set (the key alone for a single-Region key).</summary>
    [Parameter] public IReadOnlyList<RegionalKey> Members { get; set; } = [];

    private ActionPlan? _plan;
    private ActionResult? _result;
    private bool _planning, _executing;
    private string? _inputError;
    private string? _typed;

    private KeyActionTarget _target = default!;
    private IReadOnlyList<ActionInput> _inputs = [];
    private ActionInputValues _values = new([]);

    private bool Busy => _planning || _executing;

    // Planning and executing run on this, so Cancel (or closing the dialog while planning) stops them.
    private CancellationTokenSource? _work;
    private bool _cancelling;

    /// <summary>Confirm stays disabled until a fresh plan can run and, for destructive actions, its key id or alias is typed.</summary>
    private bool CanConfirm => !Busy && !InputsChangedSincePlan && _plan is { CanExecute: true } plan && plan.IsConfirmedBy(_typed);

    /// <summary>
    /// True when anything on screen differs from what the shown plan was made from: the plan no longer describes what
    /// would run, so Confirm waits for "Plan again".
    /// </summary>
    private bool InputsChangedSincePlan => _plan is not null && (_stalePlan || !string.Equals(InputsFingerprint(), _plannedInputs, StringComparison.Ordinal));

    private string? _plannedInputs;

    /// <summary>Every input of the dialog, as one string.</summary>
    private string InputsFingerprint() => _values.Fingerprint();

    private string ConfirmLabel => _plan is { Calls.Count: var n and > 0 }
        ? $"{(NeedsApproval ? "Request approval" : KeyActionRules.Title(Action))} ({n} call{(n == 1 ? "" : "s")})"
        : NeedsApproval ? "Request approval" : KeyActionRules.Title(Action);

    /// <summary>The two-person rule is on and the action is destructive: the button requests, another Admin approves.</summary>
    private bool NeedsApproval => Approvals.IsRequired(Action);

    // The request made from this dialog, kept up to date while it is open.
    private ApprovalRequest? _request;
    private IDisposable? _requestWatch;

    private Severity RequestSeverity => _request?.Status switch
    {
        ApprovalStatus.Pending or ApprovalStatus.Approved => Severity.Info,
        ApprovalStatus.Executed => _request.Outcome == nameof(ActionOutcome.Succeeded) ? Severity.Success : Severity.Warning,
        _ => Severity.Warning,
    };

    private string RequestStatusText => _request is not { } r ? "" : r.Status switch
    {
        ApprovalStatus.Pending => $"Approval requested: waiting for another Admin until {r.ExpiresAt:HH:mm} UTC. Nothing has been sent.",
        ApprovalStatus.Approved => $"Approved by {r.DecidedByName}: running now.",
        ApprovalStatus.Executed => $"Approved by {r.DecidedByName} and run: {r.OutcomeSummary}",
        ApprovalStatus.Rejected => $"Rejected by {r.DecidedByName}{(r.Reason is null ? "" : $": {r.Reason}")}. Nothing was sent.",
        ApprovalStatus.Withdrawn => "Withdrawn. Nothing was sent.",
        ApprovalStatus.Expired => $"Expired at {r.ExpiresAt:HH:mm} UTC without an approval. Nothing was sent.",
        _ => $"Closed: {r.Reason} Nothing was sent.",
    };

    private async Task RequestApprovalAsync()
    {
        if (!CanConfirm || _plan is null) return;
        _executing = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var outcome = await Approvals.RequestAsync(user, _plan, _typed, CancellationToken.None);
            if (!outcome.Done || outcome.Request is null)
            {
                _inputError = outcome.Message;
                return;
            }
            _request = outcome.Request;
            Snackbar.Add(outcome.Message, Severity.Info);
            var id = _request.Id;
            _requestWatch = Approvals.Changed(() => InvokeAsync(async () =>
            {
                _request = await Approvals.FindAsync(id, CancellationToken.None) ?? _request;
                StateHasChanged();
            }));
        }
        finally
        {
            _executing = false;
        }
    }

    private Severity ResultSeverity => _result?.Outcome switch
    {
        ActionOutcome.Succeeded => Severity.Success,
        ActionOutcome.PartiallySucceeded or ActionOutcome.Unknown or ActionOutcome.Cancelled => Severity.Warning,
        _ => Severity.Error,
    };

    protected override void OnInitialized()
    {
        // The action's own description of its inputs, with first values read from the key as the inventory shows it.
        _target = new KeyActionTarget(Key, Members, Operations.RegionsOf(Key.Account));
        _inputs = Action.Inputs(_target);
        _values = new ActionInputValues(_inputs);
        // Nothing is planned on open: a plan costs fresh reads in every Region concerned, so it waits for "Review plan".
    }

    private void OnInputChanged(ActionInput input)
    {
        // A Region ticked or unticked: the shown plan no longer matches the choice, so confirm waits for "Plan again".
        if (input.Kind == ActionInputKind.Regions) _stalePlan = _plan is not null;
    }

    private bool _stalePlan;

    private async Task PlanAsync()
    {
        if (Busy) return;
        _inputError = null;
        var inputs = InputsFingerprint();
        var request = BuildRequest();
        if (request is null) return;
        _planning = true;
        _typed = null;
        _work = new CancellationTokenSource();
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var plan = await Operations.PlanAsync(user, request, _work.Token);
            Operations.Discard(_plan); // the plan it replaces will never run
            _plan = plan;
            _plannedInputs = inputs;
            _stalePlan = false;
        }
        catch (OperationCanceledException)
        {
            _inputError = "Planning was cancelled; nothing was sent.";
        }
        finally
        {
            _planning = false;
            _cancelling = false;
            _work.Dispose();
            _work = null;
        }
    }

    private async Task ExecuteAsync()
    {
        if (NeedsApproval)
        {
            await RequestApprovalAsync();
            return;
        }
        // Double-click guard: the first click disables the button before anything is awaited.
        if (!CanConfirm || _plan is null) return;
        _executing = true;
        _work = new CancellationTokenSource();
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            // Core stops at its own time limit too; Cancel stops before the next call and reports the one in flight as unknown.
            _result = await Operations.ExecuteAsync(user, _plan, _typed, _work.Token);
            Snackbar.Add(_result.Summary, ResultSeverity);
        }
        catch (Exception ex)
        {
            // Never left on "Working…": whatever went wrong is said, and the journal holds what was sent.
            _result = new ActionResult(ActionOutcome.Unknown, $"The action stopped unexpectedly ({ex.Message}); open the journal to see which calls were sent.", [], null);
            Snackbar.Add(_result.Summary, Severity.Error);
        }
        finally
        {
            _executing = false;
            _cancelling = false;
            _work.Dispose();
            _work = null;
        }
    }

    private KeyActionRequest? BuildRequest()
    {
        var request = Action.CreateRequest(_target, _values, out var error);
        if (request is null) _inputError = error ?? $"{Action.Name} has no dialog.";
        // The key's account (several accounts): the action runs there, in the user's name.
        return request is not null && _target.Key.Account.Length > 0 ? request with { Account = _target.Key.Account } : request;
    }

    /// <summary>While planning or executing: stop it (the dialog stays, to show what happened). Otherwise: close.</summary>
    private void Cancel()
    {
        if (_work is { } work)
        {
            _cancelling = true;
            work.Cancel();
            return;
        }
        Operations.Discard(_plan);
        MudDialog?.Cancel();
    }

    public void Dispose()
    {
        _requestWatch?.Dispose();
        // A plan shown and never confirmed is dropped; an execution under way is left to finish (its journal entry closes).
        if (!_executing)
        {
            _work?.Cancel();
            if (_result is null && _request is null) Operations.Discard(_plan);
        }
        GC.SuppressFinalize(this);
    }

    private void Close() => MudDialog?.Close(DialogResult.Ok(_result));
}
