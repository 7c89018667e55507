using Amazon.Runtime;
using KmsDashboard.Core.Rotation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace KmsDashboard.Web.Features.Wizards;

public partial class OnDemandRotationPage
{
    [Inject] private OnDemandRotationService OnDemand { get; set; } = default!;
    [Inject] private AutomaticRotationService Candidates { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private KmsDashboard.Core.Inventory.KeyInventory Inventory { get; set; } = default!;

    private string AccountName(string account) => Inventory.Current.AccountName(account);

    [SupplyParameterFromQuery(Name = "key")] public string? Key { get; set; }

    /// <summary>The key set's account (from the key page), required when the dashboard reads several.</summary>
    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }

    private readonly List<BreadcrumbItem> _crumbs = [new("Wizards", "wizards"), new("On-demand rotation", null, disabled: true)];
    private IReadOnlyList<RotationCandidate> _choices = [];
    private OnDemandRotationStatus? _status;
    private OnDemandRotationPlan? _plan;
    private OnDemandRotationResult? _result;
    private string? _error, _progress, _loadedKey, _loadedAccount;
    private bool _reading, _planning, _executing;

    private bool Busy => _reading || _planning || _executing;
    private bool CanConfirm => !Busy && _plan is { CanExecute: true } && _result is null;

    protected override void OnInitialized() =>
        _choices = [.. Candidates.Candidates(new RotationCandidateFilter()).Where(c => c.CanRotate)];

    protected override async Task OnParametersSetAsync()
    {
        if (Key == _loadedKey && Account == _loadedAccount) return;
        (_loadedKey, _loadedAccount) = (Key, Account);
        await ReadAsync();
    }

    /// <summary>The picker's value: the key id, or "account/keyId" when the dashboard reads several accounts.</summary>
    private string? Chosen => string.IsNullOrEmpty(Key) ? null : string.IsNullOrEmpty(Account) ? Key : $"{Account}/{Key}";

    private static string ChoiceOf(RotationCandidate c) => c.Account.Length == 0 ? c.KeyId : $"{c.Account}/{c.KeyId}";

    private void ChooseKey(string choice)
    {
        var slash = choice.IndexOf('/', StringComparison.Ordinal);
        var (account, keyId) = slash < 0 ? ("", choice) : (choice[..slash], choice[(slash + 1)..]);
        Navigation.NavigateTo($"wizards/on-demand-rotation?key={Uri.EscapeDataString(keyId)}" + (account.Length > 0 ? $"&account={Uri.EscapeDataString(account)}" : ""));
    }

    /// <summary>Reads the key set again; a plan or outcome on screen belongs to the old reading and is put away.</summary>
    private async Task ReadAsync()
    {
        (_status, _plan, _result, _error, _progress) = (null, null, null, null, null);
        if (string.IsNullOrWhiteSpace(Key)) return;
        _reading = true;
        try
        {
            _status = await OnDemand.ReadAsync(Key, Account, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ArgumentException or AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            _error = $"Could not read {Key}: {ex.Message}";
        }
        finally
        {
            _reading = false;
        }
    }

    private async Task PlanAsync()
    {
        if (Busy || _status is null) return;
        _planning = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            _plan = await OnDemand.PlanAsync(user, _status.KeyId, _status.Account.Length == 0 ? null : _status.Account, CancellationToken.None);
            _status = _plan.Status;
        }
        catch (Exception ex) when (ex is ArgumentException or AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            _error = $"Could not plan: {ex.Message}";
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
            var progress = new Progress<string>(message => InvokeAsync(() => { _progress = message; StateHasChanged(); }));
            _result = await OnDemand.ExecuteAsync(user, _plan, progress, CancellationToken.None);
            Snackbar.Add(_result.Summary, _result.Verified ? Severity.Success : Severity.Warning);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            _error = $"The rotation check stopped: {ex.Message}";
        }
        finally
        {
            _executing = false;
        }
    }
}
