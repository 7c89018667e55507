using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>
/// CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, and the <c>GrantTokens</c> member the
/// cryptographic operations accept. Grants live on the key of one Region. The sandbox authorizes nothing, so a grant's
/// operations and constraints are kept and reported, not enforced; a grant token must still be one the sandbox issued.
/// </summary>
internal static partial class GrantOperations
{
    /// <summary>KMS's quota of grants per KMS key.</summary>
    public const int MaxGrantsPerKey = 50_000;
    private const int MaxGrantTokens = 10;
    private const int MaxConstraintPairs = 8;
    private const int MaxConstraintValueLength = 384;
    private const string TokenPrefix = "sbxgrant1";

    private static readonly string[] GrantOperationNames =
    [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
        "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    ];

    private static readonly string[] AnyKey = ["CreateGrant", "RetireGrant", "DescribeKey"];
    private static readonly string[] SymmetricEncryption =
        ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext"];
    private static readonly string[] AsymmetricEncryption = ["Decrypt", "Encrypt", "GetPublicKey", "ReEncryptFrom", "ReEncryptTo"];
    private static readonly string[] Signing = ["Sign", "Verify", "GetPublicKey"];
    private static readonly string[] Mac = ["GenerateMac", "VerifyMac"];
    private static readonly string[] KeyAgreement = ["DeriveSharedSecret", "GetPublicKey"];

    /// <summary>The operations whose input has a <c>GrantTokens</c> member (botocore kms model).</summary>
    public static readonly IReadOnlySet<string> TokenAccepting = new HashSet<string>(StringComparer.Ordinal)
    {
        "CreateGrant", "Decrypt", "DeriveSharedSecret", "DescribeKey", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateDataKeyWithoutPlaintext", "GenerateMac", "GetPublicKey", "ReEncrypt",
        "Sign", "Verify", "VerifyMac",
    };

    public static IEnumerable<KmsOperation> All =>
    [
        new("CreateGrant", false, CreateGrant),
        new("ListGrants", true, ListGrants),
        new("ListRetirableGrants", true, ListRetirableGrants),
        new("RetireGrant", false, RetireGrant),
        new("RevokeGrant", false, RevokeGrant),
    ];

    /// <summary>Wraps an operation that accepts <c>GrantTokens</c> so malformed or foreign tokens are refused first.</summary>
    public static KmsOperation AcceptingGrantTokens(KmsOperation operation) => !TokenAccepting.Contains(operation.Name) ? operation
        : operation with { Handle = ctx => { CheckGrantTokens(ctx); return operation.Handle(ctx); } };

    /// <summary>A grant id as KMS forms them: 64 lowercase hex characters.</summary>
    public static string NewGrantId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static JsonObject CreateGrant(KmsCallContext ctx)
    {
        var keyReference = ctx.RequiredString("KeyId");
        var grantee = Principal(ctx, "GranteePrincipal") ?? throw KmsErrors.Required("GranteePrincipal");
        var retiring = Principal(ctx, "RetiringPrincipal");
        var operations = Operations(ctx);
        var (subset, equals) = Constraints(ctx);
        var name = ctx.String("Name", 1, 256);
        if (name is not null && !NamePattern().IsMatch(name))
            throw KmsErrors.Validation("Name", name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");

        var key = ctx.Store.Resolve(ctx.Region, keyReference, allowAlias: false);
        ctx.Touch(key);
        KeyGuards.CustomerManaged(key, "CreateGrant", ctx.AccountId);
        KeyGuards.Settled(key);
        CheckOperationsFit(key, operations, subset is not null || equals is not null);
        DryRun(ctx);

        var grant = new KmsGrant(NewGrantId(), name, ctx.Now, grantee, retiring, $"arn:aws:iam::{ctx.AccountId}:root", operations, subset, equals);
        var existing = name is null ? null : key.Grants.FirstOrDefault(g => g.SameRequestAs(grant));
        if (existing is null)
        {
            if (key.Grants.Count >= MaxGrantsPerKey)
                throw KmsErrors.LimitExceeded($"The request was rejected because {key.Arn} already has {MaxGrantsPerKey} grants.");
            key.Grants.Add(grant);
        }
        var granted = existing ?? grant;
        return new JsonObject { ["GrantToken"] = Token(key, granted), ["GrantId"] = granted.GrantId };
    }

    private static JsonObject ListGrants(KmsCallContext ctx)
    {
        var limit = ctx.Int("Limit", 1, 100);
        var marker = ctx.String("Marker", 1, 1024);
        var grantId = ctx.String("GrantId", 1, 128);
        var grantee = Principal(ctx, "GranteePrincipal");
        var key = ctx.Key();
        var grants = key.Grants.Where(g => (grantId is null || g.GrantId == grantId) && (grantee is null || g.GranteePrincipal == grantee));
        var page = Paging.Take(grants, SortKey, limit, 100, 50, marker);
        return Page(page.Items.Select(g => (key, g)), page.NextMarker);
    }

    private static JsonObject ListRetirableGrants(KmsCallContext ctx)
    {
        var limit = ctx.Int("Limit", 1, 100);
        var marker = ctx.String("Marker", 1, 1024);
        var retiring = Principal(ctx, "RetiringPrincipal") ?? throw KmsErrors.Required("RetiringPrincipal");
        var grants = ctx.Store.Keys(ctx.Region)
            .SelectMany(k => k.Grants.Select(g => (Key: k, Grant: g, Sort: $"{k.Sequence:D12}/{SortKey(g)}")))
            .Where(g => g.Grant.RetiringPrincipal == retiring);
        var page = Paging.Take(grants, g => g.Sort, limit, 100, 50, marker);
        return Page(page.Items.Select(g => (g.Key, g.Grant)), page.NextMarker);
    }

    private static JsonObject? RetireGrant(KmsCallContext ctx)
    {
        var token = ctx.String("GrantToken", 1, 8192);
        var keyReference = ctx.String("KeyId", 1, 2048);
        var grantId = ctx.String("GrantId", 1, 128);
        KmsKey key;
        if (token is not null)
        {
            var (tokenRegion, tokenKeyId, tokenGrantId) = ParseToken(token);
            if (tokenRegion != ctx.Region) throw InvalidToken();
            key = ctx.Store.Find(ctx.Region, tokenKeyId) ?? throw KmsErrors.KeyNotFound(ctx.Store.KeyArn(ctx.Region, tokenKeyId));
            if (grantId is not null && grantId != tokenGrantId) throw InvalidGrantId();
            if (keyReference is not null && ctx.Store.Resolve(ctx.Region, keyReference, allowAlias: false) != key)
                throw KmsErrors.Validation("The KeyId does not identify the key of the grant token.");
            grantId = tokenGrantId;
        }
        else if (keyReference is not null && grantId is not null)
        {
            key = ctx.Store.Resolve(ctx.Region, keyReference, allowAlias: false);
        }
        else
        {
            throw KmsErrors.Validation("Grant token OR (grant ID, key ID) must be specified.");
        }
        ctx.Touch(key);
        CheckGrantIdFormat(grantId);
        KeyGuards.Settled(key, allowPendingDeletion: true);
        var grant = key.Grants.FirstOrDefault(g => g.GrantId == grantId) ?? throw GrantNotFound(grantId);
        DryRun(ctx);
        key.Grants.Remove(grant);
        return null;
    }

    private static JsonObject? RevokeGrant(KmsCallContext ctx)
    {
        var grantId = ctx.RequiredString("GrantId", 1, 128);
        var key = ctx.Key();
        CheckGrantIdFormat(grantId);
        KeyGuards.CustomerManaged(key, "RevokeGrant", ctx.AccountId);
        KeyGuards.Settled(key, allowPendingDeletion: true);
        var grant = key.Grants.FirstOrDefault(g => g.GrantId == grantId) ?? throw GrantNotFound(grantId);
        DryRun(ctx);
        key.Grants.Remove(grant);
        return null;
    }

    /// <summary>Oldest first; a cursor that survives grants removed between pages.</summary>
    private static string SortKey(KmsGrant grant) => $"{grant.CreationDate.UtcTicks:D20}/{grant.GrantId}";

    private static JsonObject Page(IEnumerable<(KmsKey Key, KmsGrant Grant)> grants, string? nextMarker)
    {
        var result = new JsonObject { ["Grants"] = new JsonArray([.. grants.Select(g => (JsonNode?)Entry(g.Key, g.Grant))]), ["Truncated"] = nextMarker is not null };
        if (nextMarker is not null) result["NextMarker"] = nextMarker;
        return result;
    }

    private static JsonObject Entry(KmsKey key, KmsGrant grant)
    {
        var entry = new JsonObject { ["KeyId"] = key.Arn, ["GrantId"] = grant.GrantId };
        if (grant.Name is not null) entry["Name"] = grant.Name;
        entry["CreationDate"] = KmsJson.Epoch(grant.CreationDate);
        entry["GranteePrincipal"] = grant.GranteePrincipal;
        if (grant.RetiringPrincipal is not null) entry["RetiringPrincipal"] = grant.RetiringPrincipal;
        entry["IssuingAccount"] = grant.IssuingAccount;
        entry["Operations"] = KmsJson.Array(grant.Operations);
        if (grant.EncryptionContextSubset is not null || grant.EncryptionContextEquals is not null)
        {
            var constraints = new JsonObject();
            if (grant.EncryptionContextSubset is { } subset) constraints["EncryptionContextSubset"] = Map(subset);
            if (grant.EncryptionContextEquals is { } equals) constraints["EncryptionContextEquals"] = Map(equals);
            entry["Constraints"] = constraints;
        }
        return entry;
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map) => new([.. map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))]);

    private static string? Principal(KmsCallContext ctx, string member)
    {
        var principal = ctx.String(member, 1, 256);
        if (principal is null) return null;
        if (!PrincipalPattern().IsMatch(principal))
            throw KmsErrors.Validation(member, principal, "Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$");
        if (!IamPrincipal().IsMatch(principal) && !principal.EndsWith(".amazonaws.com", StringComparison.Ordinal))
            throw KmsErrors.Validation($"{member} '{principal}' is not a valid principal: use the ARN of an account, IAM user or role, assumed-role session or federated user, or an AWS service principal.");
        return principal;
    }

    private static List<string> Operations(KmsCallContext ctx)
    {
        var operations = ctx.Strings("Operations") ?? throw KmsErrors.Required("Operations");
        var unknown = operations.Where(o => !GrantOperationNames.Contains(o)).ToList();
        if (unknown.Count > 0)
            throw KmsErrors.Validation("Operations", $"[{string.Join(", ", operations)}]",
                $"Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", GrantOperationNames)}]]");
        var distinct = operations.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0) throw KmsErrors.Validation("Grants must contain at least one operation.");
        if (distinct is ["CreateGrant"]) throw KmsErrors.Validation("Grants must not contain only the CreateGrant operation.");
        return distinct;
    }

    private static (IReadOnlyDictionary<string, string>? Subset, IReadOnlyDictionary<string, string>? Exact) Constraints(KmsCallContext ctx)
    {
        var node = ctx.Body["Constraints"];
        if (node is null) return (null, null);
        if (node is not JsonObject constraints) throw KmsErrors.Serialization("Expected a structure for Constraints.");
        return (Constraint(constraints, "EncryptionContextSubset"), Constraint(constraints, "EncryptionContextEquals"));
    }

    private static Dictionary<string, string>? Constraint(JsonObject constraints, string member)
    {
        var node = constraints[member];
        if (node is null) return null;
        if (node is not JsonObject pairs) throw KmsErrors.Serialization($"Expected a map for Constraints.{member}.");
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            if (value?.GetValueKind() != JsonValueKind.String) throw KmsErrors.Serialization($"Expected string values in Constraints.{member}.");
            var text = value.GetValue<string>();
            if (text.Length > MaxConstraintValueLength)
                throw KmsErrors.Validation($"The encryption context value for '{key}' in {member} exceeds {MaxConstraintValueLength} characters.");
            if (!map.TryAdd(key, text)) throw KmsErrors.Validation($"{member} names the encryption context key '{key}' twice (constraint keys are not case sensitive).");
        }
        if (map.Count > MaxConstraintPairs) throw KmsErrors.Validation($"{member} has {map.Count} encryption context pairs; a grant constraint allows at most {MaxConstraintPairs}.");
        return map.Count == 0 ? null : map;
    }

    /// <summary>Only operations the key supports; encryption context constraints only on symmetric encryption keys.</summary>
    private static void CheckOperationsFit(KmsKey key, List<string> operations, bool constrained)
    {
        var family = key.Family;
        string[] allowed = family.KeyUsage switch
        {
            "ENCRYPT_DECRYPT" when family.IsSymmetricEncryption => SymmetricEncryption,
            "ENCRYPT_DECRYPT" => AsymmetricEncryption,
            "SIGN_VERIFY" => Signing,
            "GENERATE_VERIFY_MAC" => Mac,
            "KEY_AGREEMENT" => KeyAgreement,
            _ => [],
        };
        var misfits = operations.Where(o => !allowed.Contains(o) && !AnyKey.Contains(o)).ToList();
        if (misfits.Count > 0)
            throw KmsErrors.Validation($"Grant operations [{string.Join(", ", misfits)}] are not supported on {key.Arn}, a {family.KeySpec} key with key usage {family.KeyUsage}.");
        if (constrained && !family.IsSymmetricEncryption)
            throw KmsErrors.Validation($"Encryption context grant constraints are supported only on symmetric encryption keys; {key.Arn} is {family.KeySpec}.");
    }

    private static void CheckGrantTokens(KmsCallContext ctx)
    {
        var tokens = ctx.Strings("GrantTokens");
        if (tokens is null) return;
        if (tokens.Count > MaxGrantTokens)
            throw KmsErrors.Validation("GrantTokens", $"[{tokens.Count} tokens]", $"Member must have length less than or equal to {MaxGrantTokens}");
        foreach (var token in tokens)
        {
            if (token.Length is < 1 or > 8192) throw KmsErrors.Validation("GrantTokens", "[token]", "Member must have length between 1 and 8192");
            if (ParseToken(token).Region != ctx.Region) throw InvalidToken();
        }
    }

    /// <summary>A fresh token for every CreateGrant (KMS's tokens differ per call; any of them names the grant).</summary>
    private static string Token(KmsKey key, KmsGrant grant)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var payload = Encoding.UTF8.GetBytes($"{TokenPrefix}|{key.Region}|{key.KeyId}|{grant.GrantId}|{nonce}");
        return "AQpA" + Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (string Region, string KeyId, string GrantId) ParseToken(string token)
    {
        if (!token.StartsWith("AQpA", StringComparison.Ordinal)) throw InvalidToken();
        var body = token[4..].Replace('-', '+').Replace('_', '/');
        body = body.PadRight(body.Length + (4 - body.Length % 4) % 4, '=');
        string text;
        try { text = Encoding.UTF8.GetString(Convert.FromBase64String(body)); }
        catch (FormatException) { throw InvalidToken(); }
        var parts = text.Split('|');
        return parts.Length == 5 && parts[0] == TokenPrefix ? (parts[1], parts[2], parts[3]) : throw InvalidToken();
    }

    private static void CheckGrantIdFormat(string grantId)
    {
        if (!GrantIdPattern().IsMatch(grantId)) throw InvalidGrantId();
    }

    private static void DryRun(KmsCallContext ctx)
    {
        if (ctx.Bool("DryRun") == true)
            throw new KmsException("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
    }

    private static KmsException InvalidToken() => new("InvalidGrantTokenException", "Grant token is invalid.");
    private static KmsException InvalidGrantId() => new("InvalidGrantIdException", "Grant ID is invalid.");
    private static KmsException GrantNotFound(string grantId) => KmsErrors.NotFound($"Grant ID {grantId} not found");

    [GeneratedRegex("^[a-zA-Z0-9:/_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[\w+=,.@:/-]+$")]
    private static partial Regex PrincipalPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|user/.+|role/.+|assumed-role/.+|federated-user/.+)$")]
    private static partial Regex IamPrincipal();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex GrantIdPattern();
}
