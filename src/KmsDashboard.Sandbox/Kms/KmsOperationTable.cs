using KmsDashboard.Sandbox.Kms.Operations;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>Every KMS operation the sandbox serves, by name.</summary>
internal static class KmsOperationTable
{
    public static readonly IReadOnlyDictionary<string, KmsOperation> ByName =
        new[] { KeyOperations.All, MultiRegionOperations.All, RotationOperations.All, AliasOperations.All, TagOperations.All,
                PolicyOperations.All, CryptoOperations.All, SigningOperations.All, UsageOperations.All, GrantOperations.All }
            .SelectMany(ops => ops)
            .Select(GrantOperations.AcceptingGrantTokens)
            .ToDictionary(op => op.Name, StringComparer.Ordinal);
}
