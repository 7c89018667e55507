using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace KmsDashboard.Web.Features.Actions;

public partial class KeyActionDialog
{
    [CascadingParameter] private IMudDialogInstance? MudDialog { get; set; }

    [Inject] private KeyOperations Operations { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

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

    private string ConfirmLabel => _plan is { Calls.Count: var n and > 0 } ? $"{KeyActionRules.Title(Action)} ({n} call{(n == 1 ? "" : "s")})" : KeyActionRules.Title(Action);

    private Severity ResultSeverity => _result?.Outcome switch
    {
        ActionOutcome.Succeeded => Severity.Success,
        ActionOutcome.PartiallySucceeded => Severity.Warning,
        _ => Severity.Error,
    };

    protected override async Task OnInitializedAsync()
    {
        // The action's own description of its inputs, with first values read from the key as the inventory shows it.
        _target = new KeyActionTarget(Key, Members, Operations.Regions);
        _inputs = Action.Inputs(_target);
        _values = new ActionInputValues(_inputs);
        if (Action.PlansOnOpen) await PlanAsync();
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
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            _plan = await Operations.PlanAsync(user, request, CancellationToken.None);
            _plannedInputs = inputs;
            _stalePlan = false;
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
            _result = await Operations.ExecuteAsync(user, _plan, _typed, CancellationToken.None);
            Snackbar.Add(_result.Summary, ResultSeverity);
        }
        finally
        {
            _executing = false;
        }
    }

    private KeyActionRequest? BuildRequest()
    {
        var request = Action.CreateRequest(_target, _values, out var error);
        if (request is null) _inputError = error ?? $"{Action.Name} has no dialog.";
        return request;
    }

    private void Cancel() => MudDialog?.Cancel();

    private void Close() => MudDialog?.Close(DialogResult.Ok(_result));
}
