using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Usage;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Accounts.AccountsSandboxApp;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// Usage and cost over the sandbox's two demo accounts and an account whose role cannot be assumed: each account's
/// CloudWatch is read with that account's assumed-role credentials.
/// </summary>
public sealed class UsageAccountsTests : IAsyncLifetime
{
    private AccountsSandboxApp _sandbox = default!;

    public async Task InitializeAsync() => _sandbox = await AccountsSandboxApp.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<ServiceProvider> LoadedAsync(bool withUnknown)
    {
        var app = _sandbox.App(DemoAccounts(withUnknown), (s, _) => { s.AddInventory(); s.AddUsage(); });
        await app.GetRequiredService<KeyInventory>().RefreshAsync(CancellationToken.None);
        return app;
    }

    [Fact]
    public async Task UsageIsReadPerAccountWithItsOwnCredentialsAndAFailingAccountFailsAsItsRegionsWhileTheOthersLoad()
    {
        var app = await LoadedAsync(withUnknown: true);
        var usage = app.GetRequiredService<UsageService>();
        var range = UsageRange.For(UsageRangeKind.LastDay, usage.Now);

        var all = await usage.LoadOverviewAsync(range, null, CancellationToken.None);

        Assert.Equal([SecurityAccount, Payments, Unknown], all.Accounts.Select(a => a.Id));
        // Every Region of every account was read (6 + 3 + 6); only the unassumable account's failed.
        Assert.Equal(Regions.Length + PaymentsRegions.Length + Regions.Length, all.Regions.Count);
        Assert.All(all.FailedRegions, r => Assert.Equal(Unknown, r.Account));
        Assert.Equal(Regions.Length, all.FailedRegions.Count());
        Assert.All(all.FailedRegions, r => Assert.Contains("Could not assume arn:aws:iam::777788889999:role/KmsDashboard", r.Error));
        // Each account's series name only its own keys: the payments figures come from the payments account's metrics.
        Assert.All(all.Regions, r => Assert.All(r.Series, s => Assert.Contains($":{r.Account}:key/", s.KeyArn)));
        var byAccount = all.ByAccount!;
        var paymentsTotal = byAccount.Series.Single(s => s.Name == "demo-payments (444455556666)").Total;
        var securityTotal = byAccount.Series.Single(s => s.Name == "demo-security (111122223333)").Total;
        Assert.True(paymentsTotal > 0 && securityTotal > 0, $"{paymentsTotal} / {securityTotal}");
        Assert.Equal(all.Total, paymentsTotal + securityTotal, 6);
        Assert.Contains(all.TopKeys.Series, s => s.Name == "card-vault · demo-payments (444455556666)");

        // Narrowed to the payments account: its three Regions, its keys, the same figure as its share of the whole.
        var payments = await usage.LoadOverviewAsync(range, null, CancellationToken.None, Payments);
        Assert.Equal(PaymentsRegions.Order(), payments.Regions.Select(r => r.Region).Order());
        Assert.All(payments.Regions, r => Assert.Null(r.Error));
        Assert.All(payments.Regions.SelectMany(r => r.Series), s => Assert.Contains($":{Payments}:key/", s.KeyArn));
        Assert.Equal(paymentsTotal, payments.Total, 6);
        Assert.Equal(paymentsTotal, payments.ByAccount!.Total, 6);
        // The management account's own CloudWatch holds none of the payments keys' metrics.
        var security = await usage.LoadOverviewAsync(range, null, CancellationToken.None, SecurityAccount);
        Assert.DoesNotContain(security.Regions.SelectMany(r => r.Series), s => s.KeyArn.Contains(Payments, StringComparison.Ordinal));
        Assert.Equal(securityTotal, security.Total, 6);

        // A key's own usage is read in its account.
        var cardVault = app.GetRequiredService<KeyInventory>().Current.KeySets.Single(s => s.DisplayName == "card-vault");
        var keyUsage = await usage.LoadKeyUsageAsync(cardVault.KeyId, range, CancellationToken.None, Payments);
        Assert.All(keyUsage.LastUse, l => Assert.Null(l.Error));
        Assert.True(keyUsage.ByRegion.Total > 0);
        Assert.Equal(PaymentsRegions.Order(), keyUsage.ByRegion.Series.Select(s => s.Name).Order());

        // The CSV of the by-account chart names the accounts.
        Assert.StartsWith("Timestamp,", byAccount.ToCsv());
        Assert.Contains("demo-payments (444455556666)", byAccount.ToCsv().Split('\n')[0]);
    }

    [Theory]
    [InlineData("12", "is not an AWS account id")]
    [InlineData("999999999999", "is not one of the dashboard's accounts")]
    public async Task AnUnknownOrMalformedAccountIsRefusedWithAClearMessage(string account, string message)
    {
        var app = await LoadedAsync(withUnknown: false);
        var usage = app.GetRequiredService<UsageService>();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => usage.LoadOverviewAsync(UsageRange.For(UsageRangeKind.LastDay, usage.Now), null, CancellationToken.None, account));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task TheCostEstimateCarriesTheAccountOfEveryLineAndSumsPerAccountAndInTotal()
    {
        var app = await LoadedAsync(withUnknown: false);
        var estimate = await app.GetRequiredService<CostService>().EstimateAsync(null, CancellationToken.None);

        Assert.Equal([SecurityAccount, Payments], estimate.Accounts.Select(a => a.Id));
        Assert.Empty(estimate.Notes);
        var cardVault = Assert.Single(estimate.Lines, l => l.Name == "card-vault");
        Assert.Equal(Payments, cardVault.Account);
        Assert.Equal(PaymentsRegions.Length, cardVault.BilledKeys);
        Assert.True(cardVault.Requests30Days > 0);
        var payments = estimate.Accounts.Single(a => a.Id == Payments);
        Assert.All(payments.Lines, l => Assert.Equal(Payments, l.Account));
        Assert.True(payments.Requests30Days > 0);
        Assert.Equal(estimate.BilledKeys, estimate.Accounts.Sum(a => a.BilledKeys));
        Assert.Equal(estimate.KeyCost + estimate.RotationCost, estimate.Accounts.Sum(a => a.KeyCost + a.RotationCost));
        // The request charge is shared among key sets rounded to the cent: the accounts sum to the total within cents.
        Assert.InRange(Math.Abs(estimate.Total - estimate.Accounts.Sum(a => a.Total)), 0m, 0.05m * estimate.Lines.Count);
        Assert.All(estimate.IdleKeys, k => Assert.Contains(k.Account, new[] { SecurityAccount, Payments }));
    }
}
