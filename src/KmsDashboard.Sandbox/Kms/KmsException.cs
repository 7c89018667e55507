namespace KmsDashboard.Sandbox.Kms;

/// <summary>A KMS error as the wire carries it: <c>{"__type": Code, "message": Message}</c> with an HTTP status.</summary>
public sealed class KmsException(string code, string message, int status = 400) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
}
