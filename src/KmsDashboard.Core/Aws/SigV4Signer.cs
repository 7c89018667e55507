using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// AWS Signature Version 4 for the hand-written JSON clients: this class builds the canonical request
/// (the part the SDK leaves to its own request pipeline); the key derivation and HMAC come from
/// AWSSDK.Core's <see cref="AWS4Signer"/>.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string DateHeader = "X-Amz-Date";
    public const string SecurityTokenHeader = "X-Amz-Security-Token";

    /// <summary>
    /// Signs a request. <paramref name="headers"/> are the headers to send; <c>Host</c> is added from the URI and
    /// <c>X-Amz-Date</c> (and <c>X-Amz-Security-Token</c> for temporary credentials) are added when missing.
    /// Every header in the list is signed. Returns the signature; the caller sends the headers plus
    /// <c>Authorization: signature.Authorization</c>.
    /// </summary>
    public static SigV4Signature Sign(
        string method, Uri uri, List<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body,
        ImmutableCredentials credentials, string region, string service, DateTime signedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var signedAt = signedAtUtc.Kind == DateTimeKind.Utc ? signedAtUtc : signedAtUtc.ToUniversalTime();
        if (!headers.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
            headers.Insert(0, new("Host", HostHeader(uri)));
        if (!headers.Any(h => h.Key.Equals(DateHeader, StringComparison.OrdinalIgnoreCase)))
            headers.Add(new(DateHeader, signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)));
        if (credentials.UseToken && !headers.Any(h => h.Key.Equals(SecurityTokenHeader, StringComparison.OrdinalIgnoreCase)))
            headers.Add(new(SecurityTokenHeader, credentials.Token));

        var canonical = CanonicalRequest(method, uri.AbsolutePath, uri.Query, headers, PayloadHash(body), out var signedHeaders);
        return SignCanonicalRequest(canonical, signedHeaders, credentials.AccessKey, credentials.SecretKey, region, service, signedAt);
    }

    /// <summary>Signs an already built canonical request with the SDK's signer.</summary>
    public static SigV4Signature SignCanonicalRequest(
        string canonicalRequest, string signedHeaders, string accessKeyId, string secretKey, string region, string service, DateTime signedAtUtc)
    {
        var result = AWS4Signer.ComputeSignature(accessKeyId, secretKey, region, signedAtUtc, service, signedHeaders, canonicalRequest);
        var stringToSign = $"{Algorithm}\n{result.ISO8601DateTime}\n{result.Scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        return new SigV4Signature(canonicalRequest, stringToSign, signedHeaders, result.Signature, result.ForAuthorizationHeader);
    }

    /// <summary>
    /// The canonical request: method, URI (each path segment URI-encoded once more, as every service but S3
    /// expects), sorted query, lower-cased sorted headers with trimmed values, signed header list, payload hash.
    /// </summary>
    public static string CanonicalRequest(
        string method, string path, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash, out string signedHeaders)
    {
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.Trim().ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(',', g.Select(h => CanonicalHeaderValue(h.Value)))))
            .ToList();
        signedHeaders = string.Join(';', canonicalHeaders.Select(h => h.Name));

        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(CanonicalUri(path)).Append('\n');
        sb.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders) sb.Append(name).Append(':').Append(value).Append('\n');
        sb.Append('\n');
        sb.Append(signedHeaders).Append('\n');
        sb.Append(payloadHash);
        return sb.ToString();
    }

    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    private static string HostHeader(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";

    private static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path)) return "/";
        return string.Join('/', path.Split('/').Select(UriEncode));
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        var q = query[0] == '?' ? query[1..] : query;
        return string.Join('&', q.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=');
                var key = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? "" : pair[(eq + 1)..];
                return (Key: UriEncode(Uri.UnescapeDataString(key)), Value: UriEncode(Uri.UnescapeDataString(value)));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    private static string CanonicalHeaderValue(string value)
    {
        // Trim, and collapse runs of spaces into one (SigV4's "trimall").
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t')
            {
                if (!space) sb.Append(' ');
                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex).</summary>
    public static string UriEncode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
