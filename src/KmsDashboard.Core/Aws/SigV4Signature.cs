namespace KmsDashboard.Core.Aws;

/// <summary>The outcome of signing one request: what was signed and the <c>Authorization</c> header to send.</summary>
public sealed record SigV4Signature(
    string CanonicalRequest,
    string StringToSign,
    string SignedHeaders,
    string Signature,
    string Authorization);
