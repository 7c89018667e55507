using KmsDashboard.Core.Actions;
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

    [Parameter, EditorRequired] public KeyAction Action { get; set; }

    /// <summary>The key in the Region the action is taken in.</summary>
    [Parameter, EditorRequired] public RegionalKey Key { get; set; } = default!;

    /// <summary>Every Region's key of the set (the key alone for a single-Region key).</summary>
    [Parameter] public IReadOnlyList<RegionalKey> Members { get; set; } = [];

    private ActionPlan? _plan;
    private ActionResult? _result;
    private bool _planning, _executing;
    private string? _inputError;
    private string? _typed;

    private readonly SortedSet<string> _targetRegions = new(StringComparer.Ordinal);
    private string? _newPrimary;
    private int _periodDays = KeyInputRules.DefaultRotationPeriodDays;
    private int _windowDays = KeyInputRules.DefaultPendingWindowDays;
    private readonly HashSet<string> _replicasToSchedule = new(StringComparer.Ordinal);
    private bool _reEnable = true, _copyPolicy = true, _copyTags = true, _copyDescription = true;
    private string? _aliasName, _description, _tagsText;
    private string _initialDescription = "", _initialTags = "";

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
    private string InputsFingerprint() => string.Join("\u001f",
        string.Join(",", _targetRegions), _newPrimary, _periodDays, _windowDays, string.Join(",", _replicasToSchedule.Order(StringComparer.Ordinal)),
        _reEnable, _copyPolicy, _copyTags, _copyDescription, _aliasName, _description, _tagsText);

    private string ConfirmLabel => _plan is { Calls.Count: var n and > 0 } ? $"{KeyActionRules.Title(Action)} ({n} call{(n == 1 ? "" : "s")})" : KeyActionRules.Title(Action);

    private Severity ResultSeverity => _result?.Outcome switch
    {
        ActionOutcome.Succeeded => Severity.Success,
        ActionOutcome.PartiallySucceeded or ActionOutcome.Unknown or ActionOutcome.Cancelled => Severity.Warning,
        _ => Severity.Error,
    };

    private RegionalKey Primary => Members.FirstOrDefault(m => m.Role == MultiRegionRole.Primary) ?? Key;
    private IEnumerable<string> ReplicaRegions => Primary.ReplicaRegions.Count > 0 ? Primary.ReplicaRegions : Members.Where(m => m.Role == MultiRegionRole.Replica).Select(m => m.Region);
    private IEnumerable<string> FreeRegions => Operations.Regions.Where(r => r != Primary.Region && !ReplicaRegions.Contains(r));

    protected override void OnInitialized()
    {
        var source = Action is KeyAction.Replicate ? Primary : Key;
        _initialDescription = _description = source.Description;
        _initialTags = _tagsText = string.Join("\n", source.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        // Opened from a replica's page, the Region being looked at is the one to promote.
        _newPrimary = Key.Role == MultiRegionRole.Replica ? Key.Region : ReplicaRegions.FirstOrDefault();
        if (Action == KeyAction.EnableRotation && Primary.Rotation.PeriodInDays is { } period) _periodDays = period;
        if (Action is KeyAction.DeleteAlias or KeyAction.AlignAlias or KeyAction.UpdateAlias) _aliasName = Key.Aliases.FirstOrDefault() ?? Primary.Aliases.FirstOrDefault();
        // Nothing is planned on open: a plan costs fresh reads in every Region concerned, so it waits for "Review plan".
    }

    private void ToggleTarget(string region, bool include)
    {
        if (include) _targetRegions.Add(region); else _targetRegions.Remove(region);
        _stalePlan = _plan is not null;
    }

    private void ToggleReplica(string region, bool include)
    {
        if (include) _replicasToSchedule.Add(region); else _replicasToSchedule.Remove(region);
        // The shown plan no longer matches the choice: confirm waits for "Plan again".
        _stalePlan = true;
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
        var (keyId, region) = (Key.KeyId, Key.Region);
        switch (Action)
        {
            case KeyAction.Replicate:
                if (ParseTags(out var replicaTags) is { } tagError) { _inputError = tagError; return null; }
                return new ReplicateKeyRequest
                {
                    KeyId = keyId, Region = region, TargetRegions = [.. _targetRegions], CopyPolicy = _copyPolicy,
                    Description = _description == _initialDescription ? null : _description ?? "",
                    Tags = _tagsText == _initialTags ? null : replicaTags,
                };
            case KeyAction.ChangePrimaryRegion: return new ChangePrimaryRegionRequest { KeyId = keyId, Region = region, NewPrimaryRegion = _newPrimary ?? "" };
            case KeyAction.EnableKey: return new EnableKeyRequest { KeyId = keyId, Region = region };
            case KeyAction.DisableKey: return new DisableKeyRequest { KeyId = keyId, Region = region };
            case KeyAction.EnableRotation: return new EnableRotationRequest { KeyId = keyId, Region = region, RotationPeriodInDays = _periodDays };
            case KeyAction.DisableRotation: return new DisableRotationRequest { KeyId = keyId, Region = region };
            case KeyAction.RotateNow: return new RotateNowRequest { KeyId = keyId, Region = region };
            case KeyAction.ScheduleDeletion:
                return new ScheduleDeletionRequest { KeyId = keyId, Region = region, PendingWindowInDays = _windowDays, AlsoScheduleReplicasIn = [.. _replicasToSchedule.Order(StringComparer.Ordinal)] };
            case KeyAction.CancelDeletion: return new CancelDeletionRequest { KeyId = keyId, Region = region, ReEnable = _reEnable };
            case KeyAction.CreateAlias: return new CreateAliasRequest { KeyId = keyId, Region = region, AliasName = _aliasName?.Trim() ?? "" };
            case KeyAction.UpdateAlias: return new UpdateAliasRequest { KeyId = keyId, Region = region, AliasName = _aliasName?.Trim() ?? "" };
            case KeyAction.DeleteAlias: return new DeleteAliasRequest { KeyId = keyId, Region = region, AliasName = _aliasName ?? "" };
            case KeyAction.AlignAlias: return new AlignAliasRequest { KeyId = keyId, Region = region, AliasName = _aliasName?.Trim() ?? "" };
            case KeyAction.EditTags:
                if (ParseTags(out var tags) is { } error) { _inputError = error; return null; }
                return new EditTagsRequest { KeyId = keyId, Region = region, Tags = tags };
            case KeyAction.EditDescription: return new EditDescriptionRequest { KeyId = keyId, Region = region, Description = _description ?? "" };
            case KeyAction.CopyPrimaryProperties: return new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = region, CopyTags = _copyTags, CopyDescription = _copyDescription };
            default: _inputError = $"{Action} has no dialog."; return null;
        }
    }

    /// <summary>Reads "key=value" lines; Core checks the keys and values themselves.</summary>
    private string? ParseTags(out Dictionary<string, string> tags)
    {
        tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in (_tagsText ?? "").Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) return $"Line {lineNumber} (\"{line}\") is not key=value.";
            var key = line[..equals].Trim();
            if (!tags.TryAdd(key, line[(equals + 1)..].Trim())) return $"The tag key '{key}' appears twice.";
        }
        return null;
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
        // A plan shown and never confirmed is dropped; an execution under way is left to finish (its journal entry closes).
        if (!_executing)
        {
            _work?.Cancel();
            if (_result is null) Operations.Discard(_plan);
        }
        GC.SuppressFinalize(this);
    }

    private void Close() => MudDialog?.Close(DialogResult.Ok(_result));
}
