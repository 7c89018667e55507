using System.Text.Json;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>A key policy must be a JSON document with a Statement.</summary>
internal static class PolicyRules
{
    public static void Check(string policy)
    {
        try
        {
            using var document = JsonDocument.Parse(policy);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("Statement", out _))
                throw KmsErrors.MalformedPolicy("The key policy must be a JSON object with a Statement.");
        }
        catch (JsonException)
        {
            throw KmsErrors.MalformedPolicy("The key policy is not valid JSON.");
        }
    }
}
