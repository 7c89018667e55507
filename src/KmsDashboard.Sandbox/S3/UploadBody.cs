using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// An upload's payload, read whole and checked as S3 checks it: <c>aws-chunked</c> decoding (signed
/// <c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]</c> and <c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>; chunk signatures
/// are not verified, as the sandbox accepts any credentials), <c>x-amz-decoded-content-length</c>, a hex
/// <c>x-amz-content-sha256</c>, <c>Content-MD5</c>, and <c>x-amz-checksum-*</c> in headers or trailers.
/// </summary>
internal sealed record UploadBody(byte[] Bytes, KeyValuePair<string, string>? Checksum)
{
    public const long MaxRequestBytes = 1L << 30;

    public static async Task<UploadBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Bodies are held in memory: the sandbox takes up to 1 GiB a request (S3 takes 5 GB), more is EntityTooLarge.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxRequestBytes;
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new S3Exception("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.", 400)
                .With("MaxSizeAllowed", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var raw = buffer.ToArray();
        var sha256 = request.Headers["x-amz-content-sha256"].FirstOrDefault() ?? "";
        var chunked = sha256.StartsWith("STREAMING-", StringComparison.Ordinal)
                      || (request.Headers.ContentEncoding.FirstOrDefault() ?? "").Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = raw;
        if (chunked)
        {
            body = Decode(raw, trailers);
            var decoded = request.Headers["x-amz-decoded-content-length"].FirstOrDefault();
            if (decoded is not null && (!long.TryParse(decoded, out var declared) || declared != body.Length))
                throw S3Errors.IncompleteBody($"The request body is {body.Length} bytes once decoded, not the {decoded} x-amz-decoded-content-length says.");
        }
        else if (sha256.Length == 64 && !string.Equals(Convert.ToHexStringLower(SHA256.HashData(body)), sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw S3Errors.ContentSha256Mismatch();
        }
        if (request.Headers["Content-MD5"].FirstOrDefault() is { Length: > 0 } md5)
        {
            byte[] expected;
            try { expected = Convert.FromBase64String(md5); }
            catch (FormatException) { throw S3Errors.InvalidDigest(); }
            if (expected.Length != 16) throw S3Errors.InvalidDigest();
            if (!MD5.HashData(body).AsSpan().SequenceEqual(expected)) throw S3Errors.BadDigest();
        }
        KeyValuePair<string, string>? checksum = null;
        foreach (var algorithm in Checksums.Algorithms)
        {
            var name = "x-amz-checksum-" + algorithm;
            var sent = trailers.GetValueOrDefault(name) ?? request.Headers[name].FirstOrDefault();
            if (string.IsNullOrEmpty(sent)) continue;
            if (Checksums.Compute(algorithm, body) != sent)
                throw S3Errors.BadDigest($"The {algorithm.ToUpperInvariant()} you specified did not match the calculated checksum.");
            checksum ??= new(algorithm, sent);
        }
        return new UploadBody(body, checksum);
    }

    /// <summary>Decodes <c>hex-size[;chunk-signature=…]\r\n data \r\n … 0[;…]\r\n trailer: value\r\n … \r\n</c>.</summary>
    public static byte[] Decode(byte[] data, Dictionary<string, string> trailers)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOfCrLf(data, position);
            if (lineEnd < 0) throw S3Errors.IncompleteBody("The aws-chunked body ended before its final chunk.");
            var header = Encoding.ASCII.GetString(data, position, lineEnd - position);
            position = lineEnd + 2;
            var sizeText = header.Split(';')[0].Trim();
            if (!long.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var size) || size < 0)
                throw S3Errors.InvalidArgument($"The aws-chunked body has a malformed chunk header '{header}'.");
            if (size == 0) break;
            if (position + size + 2 > data.Length) throw S3Errors.IncompleteBody("The aws-chunked body ended inside a chunk.");
            output.Write(data, position, (int)size);
            position += (int)size;
            if (data[position] != '\r' || data[position + 1] != '\n') throw S3Errors.InvalidArgument("An aws-chunked chunk does not end with CRLF.");
            position += 2;
        }
        while (position < data.Length)
        {
            var lineEnd = IndexOfCrLf(data, position);
            if (lineEnd < 0) lineEnd = data.Length;
            var line = Encoding.ASCII.GetString(data, position, lineEnd - position);
            position = lineEnd + 2;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) trailers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return output.ToArray();
    }

    private static int IndexOfCrLf(byte[] data, int from)
    {
        var index = data.AsSpan(from).IndexOf("\r\n"u8);
        return index < 0 ? -1 : from + index;
    }
}
