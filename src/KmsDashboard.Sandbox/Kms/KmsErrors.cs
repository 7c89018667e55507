namespace KmsDashboard.Sandbox.Kms;

/// <summary>The KMS error codes the sandbox answers with, worded as KMS words them.</summary>
internal static class KmsErrors
{
    public static KmsException NotFound(string message) => new("NotFoundException", message);
    public static KmsException KeyNotFound(string keyId) => NotFound($"Key '{keyId}' does not exist");
    public static KmsException InvalidState(string message) => new("KMSInvalidStateException", message);
    public static KmsException InvalidState(KmsKey key) => InvalidState($"{key.Arn} is {key.State}");
    public static KmsException Disabled(KmsKey key) => new("DisabledException", $"{key.Arn} is disabled.");
    public static KmsException AlreadyExists(string message) => new("AlreadyExistsException", message);
    public static KmsException Validation(string message) => new("ValidationException", message);
    public static KmsException Validation(string member, object? value, string constraint) =>
        Validation($"1 validation error detected: Value '{value}' at '{Camel(member)}' failed to satisfy constraint: {constraint}");
    public static KmsException Required(string member) =>
        Validation($"1 validation error detected: Value null at '{Camel(member)}' failed to satisfy constraint: Member must not be null");
    public static KmsException InvalidAliasName(string message) => new("InvalidAliasNameException", message);
    public static KmsException Unsupported(string message) => new("UnsupportedOperationException", message);
    public static KmsException InvalidCiphertext(string message = "") => new("InvalidCiphertextException", message);
    public static KmsException IncorrectKey(string message) => new("IncorrectKeyException", message);
    public static KmsException InvalidArn(string message) => new("InvalidArnException", message);
    public static KmsException InvalidMarker() => new("InvalidMarkerException", "Invalid marker");
    public static KmsException LimitExceeded(string message) => new("LimitExceededException", message);
    public static KmsException Conflict(string message) => new("ConflictException", message);
    public static KmsException Throttling() => new("ThrottlingException", "Rate exceeded");
    public static KmsException AccessDenied(string message) => new("AccessDeniedException", message);
    public static KmsException InvalidKeyUsage(string message) => new("InvalidKeyUsageException", message);
    public static KmsException Tag(string message) => new("TagException", message);
    public static KmsException MalformedPolicy(string message) => new("MalformedPolicyDocumentException", message);
    public static KmsException Serialization(string message) => new("SerializationException", message);
    public static KmsException UnknownOperation(string target) => new("UnknownOperationException", $"Unknown operation {target}");

    private static string Camel(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
}
