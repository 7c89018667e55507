namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>A LookupEvents request CloudTrail refuses, with the error code it answers.</summary>
internal sealed class TrailLookupException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
