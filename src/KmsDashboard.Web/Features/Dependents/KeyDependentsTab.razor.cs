using KmsDashboard.Core.Dependents;
using KmsDashboard.Web.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace KmsDashboard.Web.Features.Dependents;

/// <summary>
/// The key page's Dependents tab: for the whole key set, the buckets and replication rules naming it, and per Region its
/// grants and CloudTrail callers over a chosen window, each linked to its evidence; per bucket an object scan.
/// </summary>
public sealed partial class KeyDependentsTab : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private CancellationTokenSource? _load;
    private TimeSpan _window = DependentsService.DefaultWindow;
    private KeyDependents? _result;
    private string? _error;
    private bool _loading;
    private string? _loadedFor;
    private IReadOnlySet<string> _keyArns = new HashSet<string>();
    private List<ObjectScanState> _scanned = [];

    [Inject] private DependentsService Dependents { get; set; } = default!;
    [Inject] private ObjectScans Scans { get; set; } = default!;
    [Inject] private ObjectScanStore ScanStore { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Parameter, EditorRequired] public KeyDetailContext Key { get; set; } = default!;

    /// <summary>The key's account ("" in the single-account set-up): everything on the tab is read there.</summary>
    private string Account => Key.Members.Count > 0 ? Key.Members[0].Account : "";

    protected override async Task OnParametersSetAsync()
    {
        _keyArns = Key.Members.Select(m => m.Arn).ToHashSet(StringComparer.Ordinal);
        if (_loadedFor == Account + "/" + Key.KeyId || !RendererInfo.IsInteractive) return;
        _loadedFor = Account + "/" + Key.KeyId;
        _result = Dependents.Latest(Key.KeyId, Account) is { } latest && latest.Window == _window ? latest : null;
        if (_result is null) await LoadAsync(refreshBuckets: false);
        else LoadScans();
    }

    private async Task ChangeWindowAsync(TimeSpan window)
    {
        if (window == _window && _result is not null) return;
        _window = window;
        await LoadAsync(refreshBuckets: false);
    }

    private async Task LoadAsync(bool refreshBuckets)
    {
        if (_load is not null) await _load.CancelAsync();
        _load = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var token = _load.Token;
        _loading = true;
        _error = null;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            _result = await Dependents.ReadAsync(user, Key.KeyId, _window, refreshBuckets, token, Account);
            LoadScans();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is ArgumentException or UnauthorizedAccessException)
        {
            _error = ex.Message;
        }
        _loading = false;
    }

    /// <summary>Saved scans of the dependent buckets and of any bucket where objects under this key were counted.</summary>
    private void LoadScans()
    {
        var buckets = (_result?.Buckets.Select(b => (b.Bucket, b.Account)) ?? []).Concat(Dependents.Buckets.Current.Buckets.Select(b => (Bucket: b.Name, b.Account))).Distinct();
        _scanned = [.. buckets.Select(b => ScanStore.Load(b.Bucket, b.Account)).OfType<ObjectScanState>().Where(s => s.CountsByKey.Keys.Any(_keyArns.Contains)).OrderBy(s => s.Bucket, StringComparer.Ordinal)];
    }

    private static string Named(KeyNameKind kind) => kind switch
    {
        KeyNameKind.KeyId => "key id",
        KeyNameKind.KeyArn => "key ARN",
        KeyNameKind.AliasName => "alias",
        KeyNameKind.AliasArn => "alias ARN",
        _ => kind.ToString(),
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _load?.Dispose();
    }
}
