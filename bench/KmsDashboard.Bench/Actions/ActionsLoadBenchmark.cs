using System.Diagnostics;
using System.Security.Claims;
using Amazon.KeyManagementService;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Tests;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Bench.Actions;

/// <summary>
/// Issue 13's load check: N concurrent actions on different keys and M concurrent, conflicting plans on one key set,
/// through the real <see cref="KeyOperations"/> and journal against the in-process sandbox. Nothing may be lost from the
/// journal (every execution has a closed entry, the chain holds) and only one of the conflicting plans may run.
/// </summary>
internal static class ActionsLoadBenchmark
{
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

    public static async Task RunAsync(string[] args)
    {
        var concurrent = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 50;
        var sameSet = args.Length > 1 && int.TryParse(args[1], out var m) ? m : 5;
        await using var app = await SandboxAppHarness.Create("bench-actions")
            .InRegions(Regions)
            .With("Inventory:ReadLastUse", "false")
            .WithSystemTime()
            .WithServices((services, data) => services.AddKeyActions(data))
            .StartAsync();
        var clients = app.Clients;
        var operations = app.Get<KeyOperations>();
        var journal = app.Get<ActionJournal>();

        // Seeding: one single-Region key per concurrent action, spread over the Regions, and one key set with two replicas.
        var keys = new List<(string Region, string KeyId)>();
        for (var i = 0; i < concurrent; i++)
        {
            var region = Regions[i % Regions.Length];
            keys.Add((region, (await clients.Kms(region).CreateKeyAsync(new Sdk.CreateKeyRequest { Description = $"bench {i}" })).KeyMetadata.KeyId));
        }
        var setId = (await clients.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, Description = "bench set" })).KeyMetadata.KeyId;
        foreach (var replica in new[] { "us-west-2", "eu-west-1" })
            await clients.Kms("us-east-1").ReplicateKeyAsync(new Sdk.ReplicateKeyRequest { KeyId = setId, ReplicaRegion = replica });
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        app.Faults.GlobalLatency = TimeSpan.FromMilliseconds(20);

        // The conflicting plans are all made from the same state before any runs; then everything executes at once.
        var admins = Enumerable.Range(0, sameSet).Select(j => User($"admin{j}", DashboardRoles.Admin)).ToList();
        var conflicting = new List<ActionPlan>();
        for (var j = 0; j < sameSet; j++)
            conflicting.Add(await operations.PlanAsync(admins[j], new ChangePrimaryRegionRequest
            {
                KeyId = setId, Region = "us-east-1", NewPrimaryRegion = j % 2 == 0 ? "us-west-2" : "eu-west-1",
            }, default));
        app.Sent.Clear();
        var watch = Stopwatch.StartNew();
        var independent = keys.Select((k, i) => Task.Run(async () =>
        {
            var user = User($"operator{i}", DashboardRoles.Operator);
            var plan = await operations.PlanAsync(user, new EditDescriptionRequest { KeyId = k.KeyId, Region = k.Region, Description = $"changed {i}" }, default);
            return await operations.ExecuteAsync(user, plan, null, default);
        })).ToList();
        var contested = conflicting.Select((plan, j) => Task.Run(() => operations.ExecuteAsync(admins[j], plan, plan.KeyId, default))).ToList();
        var results = await Task.WhenAll(independent.Concat(contested));
        var seconds = watch.Elapsed.TotalSeconds;

        var entries = new List<JournalEntry>();
        await foreach (var entry in journal.StreamAsync(new JournalQuery(), int.MaxValue, default)) entries.Add(entry);
        var byId = entries.ToDictionary(e => e.Id);
        var lost = results.Count(r => r.JournalEntryId is not { } id || !byId.TryGetValue(id, out var e) || e.Outcome != r.Outcome.ToString()
            || e.Calls.Count(c => c.RequestId is not null) != r.Calls.Count(c => c.RequestId is not null));
        var inProgress = entries.Count(e => e.Outcome == ActionJournal.InProgress);
        var independentOk = independent.Count(t => t.Result.Outcome == ActionOutcome.Succeeded);
        var executed = contested.Count(t => t.Result.Outcome != ActionOutcome.Refused);
        var primaryMoves = app.Sent.Count(c => c.Operation == "UpdatePrimaryRegion" && c.Region == "us-east-1" && c.ErrorCode is null or "");
        var chain = await journal.VerifyAsync(default);
        foreach (var plan in conflicting.Where(p => !p.CanExecute)) Console.Error.WriteLine($"plan not executable: {plan.Status} {string.Join(" ", plan.Problems)}");
        foreach (var r in results.Where(r => r.Outcome != ActionOutcome.Succeeded)) Console.Error.WriteLine($"{r.Outcome} #{r.JournalEntryId}: {r.Summary}");

        Console.WriteLine(
            $"actions concurrent={concurrent} same_set={sameSet} seconds={seconds:0.00} succeeded={independentOk} journal_entries={entries.Count} " +
            $"expected_entries={concurrent + sameSet} lost={lost} in_progress={inProgress} same_set_executed={executed} same_set_refused={sameSet - executed} " +
            $"primary_moves_sent={primaryMoves} chain={(chain.Holds ? "holds" : "broken")}");
    }

    private static ClaimsPrincipal User(string name, string role) => SandboxAppHarness.User(name, role);
}
