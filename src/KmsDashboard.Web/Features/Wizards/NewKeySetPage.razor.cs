using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Rotation;
using KmsDashboard.Core.Rotation.NewKeySet;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace KmsDashboard.Web.Features.Wizards;

public partial class NewKeySetPage
{
    [Inject] private RunbookService Runbooks { get; set; } = default!;
    [Inject] private NewKeySetDefinition Definition { get; set; } = default!;
    [Inject] private IOptions<NewKeySetOptions> Options { get; set; } = default!;
    [Inject] private KeyInventory Inventory { get; set; } = default!;
    [Inject] private BackendIdentity Identity { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private readonly List<BreadcrumbItem> _crumbs = [new("Wizards", "wizards"), new("New key set", null, disabled: true)];
    private readonly SortedSet<string> _replicas = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _buckets = new(StringComparer.Ordinal);
    private IReadOnlyList<BucketChoice> _bucketChoices = [];
    private string? _bucketProblem;
    private string _primary = "", _alias = "alias/", _description = "", _tags = "", _period = "365", _account = "", _via = "", _admins = "", _users = "", _context = "";
    private IReadOnlyList<string> _problems = [];
    private string? _policyJson;
    private bool _busy, _allowed, _bucketsLoading = true;

    /// <summary>The account to make the key set in, when the dashboard reads several (from the link, else the dashboard's own).</summary>
    [SupplyParameterFromQuery(Name = "account")] public string? Account { get; set; }
    private string _inAccount = "";

    /// <summary>The Regions offered: the chosen account's, or the dashboard's.</summary>
    private IReadOnlyList<string> Regions => Runbooks.Accounts?.Find(_inAccount) is { } account ? account.Regions : Runbooks.Regions;

    private string RequiredTagsHelp => Options.Value.RequiredTags.Count == 0 ? "" : $"Required: {string.Join(", ", Options.Value.RequiredTags.Keys)}.";

    protected override async Task OnInitializedAsync()
    {
        _primary = Runbooks.Regions.FirstOrDefault() ?? "";
        var own = (await Identity.DescribeAsync()).Account;
        _tags = string.Join("\n", Options.Value.RequiredTags.Select(t => $"{t.Key}={t.Value}"));
        _via = string.Join(", ", Options.Value.ViaServices);
        _allowed = await Runbooks.IsAllowedAsync((await Authentication.GetAuthenticationStateAsync()).User, DashboardPolicies.CanOperate);
        // The account the keys live in: from STS, else from any key ARN the inventory holds (the sandbox).
        _account = own ?? Inventory.Current.CustomerKeys.Select(k => k.Arn.Split(':')).FirstOrDefault(p => p.Length > 4)?[4] ?? "";
        if (Runbooks.MultiAccount)
        {
            // With several accounts the key set is made in the one chosen here (Core refuses a start without one).
            var chosen = Runbooks.Accounts?.Find(Account) ?? Runbooks.Accounts?.Find(own);
            if (chosen is not null) ChooseAccount(chosen.Id);
        }
        await LoadBucketsAsync();
    }

    private void ChooseAccount(string id)
    {
        _inAccount = id;
        if (id.Length > 0) _account = id; // the key policy's root principal is the account the key lives in
        if (!Regions.Contains(_primary)) _primary = Regions.FirstOrDefault() ?? "";
        _replicas.RemoveWhere(r => !Regions.Contains(r) || r == _primary);
    }

    private Task ChangeAccountAsync(string id) => ChangeRegionsAsync(() => ChooseAccount(id ?? ""));

    /// <summary>The buckets offered for the Regions chosen now (the catalog is cached in Core); a chosen bucket no longer in them is dropped.</summary>
    private async Task LoadBucketsAsync()
    {
        _bucketsLoading = true;
        try
        {
            var catalog = Runbooks.Accounts?.Find(_inAccount) is { } account ? Runbooks.Accounts.Buckets(account) : null;
            (_bucketChoices, _bucketProblem) = await Definition.BucketChoicesAsync([_primary, .. _replicas], CancellationToken.None, catalog);
            _buckets.RemoveWhere(b => !_bucketChoices.Any(c => c.Name == b && c.Selectable));
        }
        finally
        {
            _bucketsLoading = false;
        }
    }

    private async Task ChangeRegionsAsync(Action apply)
    {
        Change(apply);
        await LoadBucketsAsync();
    }

    private void ToggleBucket(BucketToggle toggle) => Change(() =>
    {
        if (toggle.Chosen) _buckets.Add(toggle.Bucket);
        else _buckets.Remove(toggle.Bucket);
    });

    /// <summary>Any change puts the review away: it showed the policy for the previous inputs.</summary>
    private void Change(Action apply)
    {
        apply();
        _policyJson = null;
        _problems = [];
    }

    private NewKeySetInputs? Build(out List<string> problems)
    {
        problems = [];
        var tags = Pairs(_tags, "Tag", problems);
        var context = Pairs(_context, "Encryption context", problems);
        var period = RotationPeriodInput.Parse(_period, out var periodProblem);
        if (periodProblem is not null) problems.Add(periodProblem);
        if (problems.Count > 0) return null;
        return new NewKeySetInputs
        {
            PrimaryRegion = _primary, ReplicaRegions = [.. _replicas], AliasName = _alias.Trim(), Description = _description.Trim(), Tags = tags,
            RotationPeriodDays = period!.Value, Buckets = [.. _buckets], Account = _inAccount.Length > 0 ? _inAccount : null,
            Policy = new KeyPolicyChoices
            {
                AccountId = _account.Trim(), Administrators = Lines(_admins), Users = Lines(_users), EncryptionContext = context,
                ViaServices = [.. _via.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            },
        };
    }

    private void Review()
    {
        var inputs = Build(out var problems);
        if (inputs is not null) problems.AddRange(Definition.Check(inputs, Regions));
        if (Runbooks.MultiAccount && _inAccount.Length == 0) problems.Add("Choose the account to make the key set in: the dashboard reads several accounts.");
        _problems = problems;
        _policyJson = problems.Count == 0 && inputs is not null ? KeyPolicyTemplate.Build(inputs.Policy, [inputs.PrimaryRegion, .. inputs.ReplicaRegions]) : null;
    }

    private async Task StartAsync()
    {
        if (_busy) return;
        var inputs = Build(out var problems);
        if (inputs is null) { _problems = problems; return; }
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var (id, startProblems) = await Runbooks.StartAsync(user, inputs, CancellationToken.None);
            _problems = startProblems;
            if (id is { } started) Navigation.NavigateTo($"runbooks/{started}");
        }
        finally
        {
            _busy = false;
        }
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>key=value lines; a line without '=' is reported, never dropped silently.</summary>
    private static Dictionary<string, string> Pairs(string text, string what, List<string> problems)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines(text))
        {
            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) { problems.Add($"{what} line '{line}' is not key=value."); continue; }
            if (!pairs.TryAdd(line[..at].Trim(), line[(at + 1)..].Trim())) problems.Add($"{what} '{line[..at].Trim()}' is given twice.");
        }
        return pairs;
    }
}
