using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Runbooks;
using Microsoft.Data.Sqlite;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>Crash and resume: a new service container over the same runbooks.db repeats no AWS call the sandbox already served.</summary>
public sealed class RunbookResumeTests
{
    [Fact]
    public async Task KillAndResumeAtEveryStepBoundaryRepeatsNoAwsCall()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await h.StartRotationAsync(oldKeyId);

        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify", "reencrypt-s3" })
        {
            await h.RestartAsync();
            await h.RunStepAsync(id, step);
        }
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.RestartAsync();
        await h.RunStepAsync(id, "watch");
        await h.RestartAsync();
        await h.RunStepAsync(id, "disable", Admin, new RunbookStepOptions { WaitingDays = 0 });
        await h.RestartAsync();
        await h.RunStepAsync(id, "schedule-deletion", Admin, new RunbookStepOptions { PendingWindowDays = 7 });

        Assert.Equal(1, h.Count("CreateKey", "us-east-1"));
        Assert.Equal(1, h.Count("EnableKeyRotation"));
        Assert.Equal(2, h.Count("ReplicateKey"));
        Assert.Equal(3, h.Count("UpdateAlias"));
        Assert.Equal(3, h.Count("DisableKey"));
        Assert.Equal(3, h.Count("ScheduleKeyDeletion"));
        var view = await h.Runbooks.GetAsync(id, default);
        Assert.Equal(RunbookStatus.Finished, view!.Runbook.Status);
        Assert.All(view.Runbook.Steps, s => Assert.True(s.State is RunbookStepState.Done or RunbookStepState.Skipped, $"{s.Name}: {s.State}"));
    }

    [Fact]
    public async Task AStepRunAgainAfterACrashFindsWhatItAlreadyDidInsteadOfRepeatingIt()
    {
        await using var h = await StartAsync();
        var id = await h.StartRotationAsync(await h.CreateKeySetAsync());
        await h.RunStepAsync(id, "choose");
        await h.RunStepAsync(id, "create");
        await h.RunStepAsync(id, "replicate");
        // A crash after the step's calls were answered but before the step was recorded: it still says Running.
        await MarkRunningAsync(h, id, "replicate");
        await h.RestartAsync();

        var (plan, result) = await h.RunNextAsync(id);

        Assert.Equal("replicate", plan.StepName);
        Assert.Empty(plan.Calls);
        Assert.Equal(RunbookStepState.Done, result!.State);
        Assert.Equal(2, h.Count("ReplicateKey"));
    }

    [Fact]
    public async Task ACreateKeyWhoseAnswerWasLostIsFoundByTheRunbookTagInsteadOfCreatingASecondKey()
    {
        await using var h = await StartAsync();
        var id = await h.StartRotationAsync(await h.CreateKeySetAsync(replicas: []));
        await h.RunStepAsync(id, "choose");
        await h.RunStepAsync(id, "create");
        var made = (await h.StateAsync(id)).NewKeyId!;
        // As if the process died while CreateKey was in flight: the intent is recorded, the answer and the state are not.
        await ExecuteSqlAsync(h, id, $"UPDATE runbook_calls SET State = 'Sent', Message = '', RequestId = NULL WHERE Operation = 'CreateKey';" +
            $"UPDATE runbooks SET State = replace(State, '\"NewKeyId\":\"{made}\"', '\"NewKeyId\":null') WHERE Id = @id;");
        await MarkRunningAsync(h, id, "create");
        await h.RestartAsync();

        var (plan, result) = await h.RunNextAsync(id);

        Assert.Equal("create", plan.StepName);
        Assert.DoesNotContain(plan.Calls, c => c.Operation == "CreateKey");
        Assert.Equal(RunbookStepState.Done, result!.State);
        Assert.Equal(made, (await h.StateAsync(id)).NewKeyId);
        Assert.Equal(1, h.Count("CreateKey", "us-east-1"));
    }

    [Fact]
    public async Task ASecondOperatorSeesWhoHoldsTheRunbookAndSinceWhen()
    {
        await using var h = await StartAsync();
        var id = await h.StartRotationAsync(await h.CreateKeySetAsync(replicas: []));
        var first = await h.Runbooks.PlanStepAsync(Operator, id, null, default);

        var second = await h.Runbooks.PlanStepAsync(SecondOperator, id, null, default);

        Assert.Equal(PlanStatus.Ready, first.Status);
        Assert.Equal(PlanStatus.PreconditionFailed, second.Status);
        Assert.Contains("otto is running this runbook (since", Assert.Single(second.Problems), StringComparison.Ordinal);
        Assert.Equal("otto", Assert.Single(await h.Runbooks.ListAsync(default)).LeaseHolderName);
        await h.Runbooks.ReleaseAsync(Operator, id, default);
        Assert.Equal(PlanStatus.Ready, (await h.Runbooks.PlanStepAsync(SecondOperator, id, null, default)).Status);
        // Otto's plan is no longer his to run once Olga planned the step.
        Assert.True((await h.Runbooks.ExecuteAsync(Operator, first, null, default)).Refused);
    }

    [Fact]
    public async Task APausedRunbookPlansNothingUntilResumed()
    {
        await using var h = await StartAsync();
        var id = await h.StartRotationAsync(await h.CreateKeySetAsync(replicas: []));
        Assert.Null(await h.Runbooks.PauseAsync(Operator, id, default));

        var paused = await h.Runbooks.PlanStepAsync(Operator, id, null, default);
        Assert.Null(await h.Runbooks.ResumeAsync(Operator, id, default));
        var resumed = await h.Runbooks.PlanStepAsync(Operator, id, null, default);

        Assert.Equal(PlanStatus.Invalid, paused.Status);
        Assert.Contains("paused", Assert.Single(paused.Problems), StringComparison.Ordinal);
        Assert.Equal(PlanStatus.Ready, resumed.Status);
    }

    private static Task MarkRunningAsync(RunbookHarness h, Guid id, string step) =>
        ExecuteSqlAsync(h, id, $"UPDATE runbook_steps SET State = 'Running' WHERE RunbookId = @id AND Name = '{step}';" +
            $"UPDATE runbooks SET CurrentStep = (SELECT \"Index\" FROM runbook_steps WHERE RunbookId = @id AND Name = '{step}') WHERE Id = @id;");

    private static async Task ExecuteSqlAsync(RunbookHarness h, Guid id, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={h.StorePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@id", id.ToString().ToUpperInvariant());
        await command.ExecuteNonQueryAsync();
    }
}
