using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KmsDashboard.Core.Runbooks;

/// <summary>A runbook's whole history for change records: every step, its Regions and every AWS call with its request id.</summary>
public static class RunbookExport
{
    /// <summary>The CSV's account columns (id, then name), present when the runbook works in a named account.</summary>
    public static readonly string[] AccountColumns = ["Account", "AccountName"];

    public static async Task WriteCsvAsync(RunbookView view, TextWriter writer, CancellationToken cancellationToken)
    {
        var r = view.Runbook;
        var csv = new KmsDashboard.Core.Export.CsvExportWriter(writer);
        // The account it works in and its name, after the key, when the runbook names one (the single-account export is as before).
        string[] account = r.Account.Length > 0 ? [r.Account, view.AccountName] : [];
        csv.WriteRow(["RunbookId", "Kind", "Title", "KeyId", .. (account.Length > 0 ? AccountColumns : []), "StartedBy", "Record", "StepIndex", "Step", "Phase", "State", "Region", "Operation", "Parameters", "RequestId", "Message", "AtUtc", "By"]);
        void Row(string record, RunbookStepRecord? step, string state, string region, string operation, string parameters, string? requestId, string message, DateTime? at, string? by) =>
            csv.WriteRow([r.Id.ToString(), r.Kind, r.Title, r.KeyId, .. account, r.StartedByName, record, step?.Index.ToString(CultureInfo.InvariantCulture) ?? "",
                step?.Name ?? "", step?.Phase ?? "", state, region, operation, parameters, requestId ?? "", message, Time(at), by ?? ""]);
        Row("Runbook", null, r.Status.ToString(), "", "", "", null, $"Started; current step {r.CurrentStep}.", r.CreatedAt, r.StartedByName);
        foreach (var step in r.Steps)
        {
            Row("Step", step, step.State.ToString(), "", "", "", null, step.Summary, step.FinishedAt ?? step.StartedAt, step.RunByName);
            foreach (var region in view.RegionsOf(step)) Row("Region", step, region.State, region.Region, "", "", null, region.Message, step.FinishedAt, step.RunByName);
            foreach (var call in view.CallsOf(step)) Row("Call", step, call.State, call.Region, call.Operation, call.Parameters, call.RequestId, call.Message, call.SentAt, call.UserName);
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonAsync(RunbookView view, Stream output, CancellationToken cancellationToken)
    {
        var r = view.Runbook;
        var document = new JsonObject
        {
            ["id"] = r.Id.ToString(), ["kind"] = r.Kind, ["title"] = r.Title, ["keyId"] = r.KeyId,
            ["startedBy"] = new JsonObject { ["id"] = r.StartedById, ["name"] = r.StartedByName },
            ["createdAt"] = Time(r.CreatedAt), ["updatedAt"] = Time(r.UpdatedAt), ["status"] = r.Status.ToString(), ["currentStep"] = r.CurrentStep,
            ["inputs"] = Parse(r.Inputs), ["state"] = Parse(r.State),
            ["steps"] = new JsonArray([.. r.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["index"] = s.Index, ["name"] = s.Name, ["title"] = s.Title, ["phase"] = s.Phase, ["state"] = s.State.ToString(),
                ["summary"] = s.Summary, ["error"] = s.Error, ["startedAt"] = Time(s.StartedAt), ["finishedAt"] = Time(s.FinishedAt),
                ["runBy"] = s.RunByName, ["plan"] = s.Plan is null ? null : Parse(s.Plan), ["regions"] = Parse(s.Regions),
                ["calls"] = new JsonArray([.. view.CallsOf(s).Select(c => (JsonNode)new JsonObject
                {
                    ["region"] = c.Region, ["operation"] = c.Operation, ["parameters"] = c.Parameters, ["state"] = c.State,
                    ["requestId"] = c.RequestId, ["message"] = c.Message, ["sentAt"] = Time(c.SentAt), ["answeredAt"] = Time(c.AnsweredAt), ["by"] = c.UserName,
                })]),
            })]),
        };
        // The account it worked in, when the dashboard reads several (the single-account export is as before).
        if (r.Account.Length > 0) document.Insert(4, "account", r.Account);
        if (r.Account.Length > 0 && view.AccountName.Length > 0) document.Insert(5, "accountName", view.AccountName);
        await JsonSerializer.SerializeAsync(output, document, new JsonSerializerOptions { WriteIndented = true }, cancellationToken);
    }

    private static JsonNode? Parse(string json) => JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "null" : json);

    private static string Time(DateTime? at) => at is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "";
}
