namespace KmsDashboard.Core.Aws;

/// <summary>What the dashboard is looking at, for the banner every page shows.</summary>
/// <param name="Summary">One line: "Sandbox (embedded, http://127.0.0.1:5123)" or "AWS account 123456789012 · 6 Regions".</param>
/// <param name="Account">The AWS account id, when known.</param>
/// <param name="Principal">The caller's ARN from STS, when known.</param>
/// <param name="Error">Why the identity could not be read, if it could not.</param>
public sealed record BackendDescription(
    BackendMode Mode,
    string Summary,
    IReadOnlyList<string> Regions,
    string? ServiceUrl = null,
    string? Account = null,
    string? Principal = null,
    string? Error = null);
