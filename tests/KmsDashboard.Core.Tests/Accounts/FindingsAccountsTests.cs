using System.Text;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static KmsDashboard.Core.Tests.Accounts.AccountsSandboxApp;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>Findings over the sandbox's two demo accounts: each finding carries its key's account, in the store and every export.</summary>
public sealed class FindingsAccountsTests : IAsyncLifetime
{
    private AccountsSandboxApp _sandbox = default!;

    public async Task InitializeAsync() => _sandbox = await AccountsSandboxApp.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task AFindingOnAPaymentsKeyCarriesThePaymentsAccountInTheStoreAndTheExports()
    {
        var app = _sandbox.App(DemoAccounts(withUnknown: false), (s, dir) =>
        {
            s.AddDashboardAuthorization();
            s.AddInventory();
            s.AddKeyActions(dir);
            s.AddDependents();
            s.AddFindings(dir);
        });
        var inventory = app.GetRequiredService<KeyInventory>();
        await inventory.RefreshAsync(CancellationToken.None);
        var snapshot = inventory.Current;
        var findings = app.GetRequiredService<FindingsService>();

        var report = await findings.EvaluateAsync(CancellationToken.None);

        // Every finding on a key names the account the key lives in.
        var onKeys = report.Findings.Where(f => f.KeyId != "account").ToList();
        Assert.All(onKeys, f => Assert.Contains(snapshot.AllKeys, k => k.KeyId == f.KeyId && k.Account == f.Account));
        var payments = report.Findings.Where(f => f.Account == Payments).ToList();
        Assert.NotEmpty(payments);
        Assert.Contains(report.Findings, f => f.Account == SecurityAccount);
        var paymentsKeys = snapshot.AllKeys.Where(k => k.Account == Payments).Select(k => k.KeyId).ToHashSet();
        Assert.All(payments, f => Assert.Contains(f.KeyId, paymentsKeys));
        Assert.All(payments, f => Assert.EndsWith($"|{Payments}", f.Id));
        var example = payments[0];

        // Every page a payments finding links to opens the payments account (each page reads ?account=); "See the calls" is an Audit key filter.
        var links = payments.Select(f => f.Fix?.Link).OfType<string>().Where(l => !l.StartsWith("/regions", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.Contains($"account={Payments}", l, StringComparison.Ordinal));
        Assert.All(links.Where(l => l.StartsWith("/audit?", StringComparison.Ordinal)), l => Assert.Contains("filter=key&value=", l, StringComparison.Ordinal));

        // The store keeps the account: a fresh read of the rows gives it back.
        var rows = await app.GetRequiredService<FindingsStore>().ListAsync(DateTimeOffset.UtcNow, TimeSpan.FromDays(7), CancellationToken.None);
        Assert.Equal(Payments, rows.Single(r => r.Id == example.Id).Account);

        // CSV, JSON and SARIF carry it.
        using var csvText = new StringWriter();
        await FindingsExport.WriteCsvAsync(payments, csvText, CancellationToken.None);
        var csvLines = csvText.ToString().Split('\n');
        var accountColumn = Array.IndexOf(csvLines[0].TrimEnd('\r').Split(','), "Account");
        Assert.True(accountColumn > 0);
        Assert.All(csvLines.Skip(1).Where(l => l.Length > 0), l => Assert.Contains($",{Payments},", l));
        using var json = new MemoryStream();
        await FindingsExport.WriteJsonAsync(payments, json, CancellationToken.None);
        using var jsonDoc = JsonDocument.Parse(json.ToArray());
        Assert.All(jsonDoc.RootElement.EnumerateArray(), e => Assert.Equal(Payments, e.GetProperty("account").GetString()));
        var sarif = await SarifAsync(payments);
        Assert.Contains($"\"fullyQualifiedName\": \"kms:{Payments}:", sarif);
        Assert.Contains($"\"account\": \"{Payments}\"", sarif);
    }

    [Fact]
    public async Task AFindingsStoreMadeBeforeAccountsGainsTheAccountColumn()
    {
        var app = _sandbox.App(DemoAccounts(withUnknown: false), (s, dir) => s.AddFindings(dir));
        var factory = app.GetRequiredService<IDbContextFactory<FindingsDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE findings DROP COLUMN Account");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE finding_evaluations DROP COLUMN Notes"); // a later migration's column, absent then too
            Assert.DoesNotContain("Account", await ColumnsAsync(db));
        }

        await new FindingsStore(factory, NullLogger<FindingsStore>.Instance).EnsureCreatedAsync(CancellationToken.None);

        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Contains("Account", await ColumnsAsync(db));
            Assert.Empty(await db.Findings.Where(f => f.Account == Payments).ToListAsync());
        }
    }

    private static async Task<List<string>> ColumnsAsync(FindingsDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA table_info(\"findings\")";
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync()) columns.Add(reader.GetString(1));
        return columns;
    }

    private static async Task<string> SarifAsync(IReadOnlyList<FindingView> findings)
    {
        using var stream = new MemoryStream();
        await FindingsExport.WriteSarifAsync(findings, "test", stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
