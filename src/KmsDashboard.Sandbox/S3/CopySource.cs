namespace KmsDashboard.Sandbox.S3;

/// <summary>The object <c>x-amz-copy-source</c> names: <c>[/]bucket/key[?versionId=…]</c>, percent-encoded as the SDKs send it.</summary>
internal sealed record CopySource(string Bucket, string Key, string? VersionId)
{
    public static CopySource Parse(string header)
    {
        var text = header.TrimStart('/');
        string? versionId = null;
        var query = text.IndexOf("?versionId=", StringComparison.Ordinal);
        if (query >= 0)
        {
            versionId = Uri.UnescapeDataString(text[(query + "?versionId=".Length)..]);
            text = text[..query];
        }
        text = Uri.UnescapeDataString(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
            throw S3Errors.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source", header);
        return new CopySource(text[..slash], text[(slash + 1)..], versionId);
    }
}
