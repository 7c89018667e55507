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

    [SupplyParameterFromQuery(Name = "key")] public string? Key { get; set; }

    private readonly List<BreadcrumbItem> _crumbs = [new("Wizards", "wizards"), new("On-demand rotation", null, disabled: true)];
    private IReadOnlyList<RotationCandidate> _choices = [];
    private OnDemandRotationStatus? _status;
    private OnDemandRotationPlan? _plan;
    private OnDemandRotationResult? _result;
    private string? _error, _progress, _loadedKey;
    private bool _reading, _planning, _executing;

    private bool Busy => _reading || _planning || _executing;
    private bool CanConfirm => !Busy && _plan is { CanExecute: true } && _result is null;

    protected override void OnInitialized() =>
        _choices = [.. Candidates.Candidates(new RotationCandidateFilter()).Where(c => c.CanRotate)];

    protected override async Task OnParametersSetAsync()
    {
        if (Key == _loadedKey) return;
        _loadedKey = Key;
        await ReadAsync();
    }

    private void ChooseKey(string keyId) => Navigation.NavigateTo($"wizards/on-demand-rotation?key={Uri.EscapeDataString(keyId)}");

    /// <summary>Reads the key set again; a plan or outcome on screen belongs to the old reading and is put away.</summary>
    private async Task ReadAsync()
    {
        (_status, _plan, _result, _error, _progress) = (null, null, null, null, null);
        if (string.IsNullOrWhiteSpace(Key)) return;
        _reading = true;
        try
        {
            _status = await OnDemand.ReadAsync(Key, CancellationToken.None);
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
            _plan = await OnDemand.PlanAsync(user, _status.KeyId, CancellationToken.None);
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
