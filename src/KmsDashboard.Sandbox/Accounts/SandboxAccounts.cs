using System.Text.RegularExpressions;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Sandbox.Accounts;

/// <summary>
/// The sandbox's accounts. The management account (the first) is served by the sandbox's own services, exactly as a
/// single-account sandbox; every member account gets a container of its own, built from the same registrations with
/// the account's id and seed, sharing the clock, the faults and the STS sessions. Its hosted services start and stop
/// with the sandbox, and a reset resets them after the management account's.
/// </summary>
public sealed partial class SandboxAccounts : IHostedService, ISandboxResettable, IAsyncDisposable
{
    public const string DemoManagementId = "111122223333", DemoMemberId = "444455556666";
    public const string DashboardRole = "KmsDashboard", DashboardExternalId = "kmsdash-demo", AdminRole = "OrganizationAccountAccessRole";

    private readonly List<ServiceProvider> _members = [];
    private readonly List<IHostedService> _started = [];
    private readonly StsSessions _sessions;

    public SandboxAccounts(IServiceProvider services, SandboxOptions options, SandboxClock clock, SandboxFaults faults, StsSessions sessions)
    {
        _sessions = sessions;
        var configured = options.ResolvedAccounts ?? Resolve(options);
        IsOrganization = options.Accounts.Count > 0 || options.SeedDemoAccount;
        var start = DateTimeOffset.FromUnixTimeSeconds(clock.UtcNow.ToUnixTimeSeconds());
        var accounts = new List<SandboxAccount>();
        for (var i = 0; i < configured.Count; i++)
        {
            var account = configured[i];
            var joined = start.AddDays(-400 + 25 * i);
            if (i == 0)
            {
                accounts.Add(new SandboxAccount(account, isManagement: true, joined, services));
                continue;
            }
            var collection = new ServiceCollection();
            collection.AddSingleton(options.ForMember(account));
            collection.AddSingleton(clock);
            collection.AddSingleton(faults);
            collection.AddSingleton(sessions);
            collection.AddSandboxAccountServices();
            var provider = collection.BuildServiceProvider();
            _members.Add(provider);
            accounts.Add(new SandboxAccount(account, isManagement: false, joined, provider));
        }
        All = accounts;
    }

    /// <summary>Every account, the management account first.</summary>
    public IReadOnlyList<SandboxAccount> All { get; }

    public SandboxAccount Management => All[0];

    /// <summary>Whether the sandbox is an organization: accounts were configured, or the demo's two are.</summary>
    public bool IsOrganization { get; }

    public SandboxAccount? Find(string accountId) => All.FirstOrDefault(a => a.Id == accountId);

    /// <summary>The role session an access key belongs to, if AssumeRole issued it.</summary>
    public StsSession? Session(string accessKeyId) => _sessions.Find(accessKeyId);

    /// <summary>The account's own services (<c>KmsSandboxState</c>, <c>S3SandboxState</c>, …); throws for an unknown account.</summary>
    public IServiceProvider ServicesOf(string accountId) =>
        (Find(accountId) ?? throw new ArgumentException($"The sandbox has no account {accountId}.", nameof(accountId))).Services;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var member in _members)
        {
            foreach (var hosted in member.GetServices<IHostedService>())
            {
                await hosted.StartAsync(cancellationToken);
                _started.Add(hosted);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--) await _started[i].StopAsync(cancellationToken);
        _started.Clear();
    }

    /// <summary>
    /// Member accounts back to their seed (the management account's services reset themselves first), and every role
    /// session ended: its credentials are answered ExpiredToken.
    /// </summary>
    public void Reset()
    {
        _sessions.EndAll();
        foreach (var member in _members)
            foreach (var resettable in member.GetServices<ISandboxResettable>()) resettable.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members) await member.DisposeAsync();
        _members.Clear();
    }

    /// <summary>
    /// The accounts the options describe, checked (12-digit unique ids, names, valid role names), each with its roles;
    /// sets the management account's id and seed on <paramref name="options"/>.
    /// </summary>
    internal static IReadOnlyList<SandboxAccountOptions> Resolve(SandboxOptions options)
    {
        List<SandboxAccountOptions> accounts;
        if (options.Accounts.Count > 0)
        {
            accounts = [.. options.Accounts.Select(a => new SandboxAccountOptions
            {
                Id = a.Id?.Trim() ?? "", Name = a.Name?.Trim() ?? "", Email = a.Email?.Trim() ?? "", Seed = a.Seed,
                Roles = [.. a.Roles.Select(r => new SandboxRoleOptions { Name = r.Name?.Trim() ?? "", ExternalId = r.ExternalId })],
            })];
            for (var i = 0; i < accounts.Count; i++)
            {
                var a = accounts[i];
                if (!AccountIdPattern().IsMatch(a.Id))
                    throw new InvalidOperationException($"Sandbox:Accounts:{i}:Id is '{a.Id}', which is not a 12-digit AWS account id.");
                if (accounts.Take(i).Any(b => b.Id == a.Id))
                    throw new InvalidOperationException($"Sandbox:Accounts:{i}:Id repeats account {a.Id}.");
                if (a.Name.Length == 0) a.Name = $"account-{a.Id}";
                if (a.Email.Length == 0) a.Email = $"aws+{a.Id}@example.com";
                foreach (var (role, j) in a.Roles.Select((r, j) => (r, j)))
                {
                    if (!RoleNamePattern().IsMatch(role.Name))
                        throw new InvalidOperationException($"Sandbox:Accounts:{i}:Roles:{j}:Name is '{role.Name}', which is not an IAM role name (1-64 of letters, digits and +=,.@_-).");
                    if (role.ExternalId is { Length: > 0 } externalId && !ExternalIdPattern().IsMatch(externalId))
                        throw new InvalidOperationException($"Sandbox:Accounts:{i}:Roles:{j}:ExternalId must be 2-1224 of letters, digits and +=,.@:/-.");
                }
            }
            options.AccountId = accounts[0].Id;
            options.SeedDemoAccount = accounts[0].Seed != SandboxAccountSeed.Empty;
            options.AccountSeed = accounts[0].Seed;
        }
        else if (options.SeedDemoAccount)
        {
            accounts = [new() { Id = options.AccountId, Name = "demo-security", Email = "security@example.com", Seed = SandboxAccountSeed.Demo }];
            if (options.AccountId != DemoMemberId)
                accounts.Add(new() { Id = DemoMemberId, Name = "demo-payments", Email = "payments@example.com", Seed = SandboxAccountSeed.Payments });
            options.AccountSeed = SandboxAccountSeed.Demo;
        }
        else
        {
            accounts = [new() { Id = options.AccountId, Name = "sandbox", Email = "sandbox@example.com", Seed = SandboxAccountSeed.Empty }];
            options.AccountSeed = SandboxAccountSeed.Empty;
        }
        foreach (var account in accounts.Where(a => a.Roles.Count == 0))
            account.Roles = [new() { Name = DashboardRole, ExternalId = DashboardExternalId }, new() { Name = AdminRole }];
        options.ResolvedAccounts = accounts;
        return accounts;
    }

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$", RegexOptions.ECMAScript)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$", RegexOptions.ECMAScript)]
    private static partial Regex ExternalIdPattern();
}
