using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace KmsDashboard.Web.Features.Approvals;

/// <summary>Requests waiting for a second Admin, and the recently decided ones; refreshed whenever any request changes.</summary>
public partial class ApprovalsPage
{
    [Inject] private ApprovalService Approvals { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private IReadOnlyList<ApprovalRequest>? _pending;
    private IReadOnlyList<ApprovalRequest>? _recent;
    private ApprovalOutcome? _outcome;
    private string _userId = "";
    private bool _canAdminister;
    private IDisposable? _subscription;

    private DateTimeOffset Now => Time.GetUtcNow();

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _userId = DashboardUser.From(user).Id;
        // The role alone decides whether the buttons show; Core checks the role, the step-up and the requester again.
        _canAdminister = !Approvals.IsReadOnly && AuthorizationRefusal.HasRoles(user, DashboardPolicies.CanAdminister);
        await LoadAsync();
        _subscription = Approvals.Changed(() => InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        }));
    }

    private async Task LoadAsync()
    {
        _pending = await Approvals.PendingAsync(CancellationToken.None);
        _recent = await Approvals.RecentAsync(20, CancellationToken.None);
    }

    private async Task OnDecidedAsync(ApprovalOutcome outcome)
    {
        _outcome = outcome;
        await LoadAsync();
    }

    private static Color StatusColour(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Executed => Color.Success,
        ApprovalStatus.Approved => Color.Info,
        ApprovalStatus.Rejected or ApprovalStatus.Invalidated => Color.Error,
        _ => Color.Default,
    };

    public void Dispose() => _subscription?.Dispose();
}
