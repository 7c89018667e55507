namespace KmsDashboard.Sandbox.S3.Operations;

/// <summary>CreateBucket, ListBuckets, HeadBucket, GetBucketLocation, DeleteBucket.</summary>
internal static class BucketOperations
{
    public static async Task CreateBucketAsync(S3Call call)
    {
        var body = await call.ReadBodyAsync();
        string? constraint = null;
        if (body.Length > 0)
        {
            var root = S3Xml.Parse(body);
            if (root.Name.LocalName != "CreateBucketConfiguration") throw S3Errors.MalformedXml();
            constraint = root.ChildValue("LocationConstraint");
            if (root.Child("Location") is not null || root.Child("Bucket") is not null)
                throw S3Errors.NotImplemented("The sandbox serves general purpose buckets only (no directory buckets).");
        }
        var bucket = call.Store.CreateBucket(call.Region, call.Bucket, constraint);
        call.Response.Headers.Location = "/" + bucket.Name;
        call.Response.StatusCode = 200;
    }

    public static async Task ListBucketsAsync(S3Call call)
    {
        var regionFilter = call.Query("bucket-region");
        var prefix = call.Query("prefix") ?? "";
        var max = call.IntQuery("max-buckets", 1, 10_000) ?? 10_000;
        var after = call.Query("continuation-token");
        List<(string Name, string Region, DateTimeOffset Created)> buckets;
        lock (call.Store.Gate)
        {
            buckets = [.. call.Store.Buckets
                .Where(b => (regionFilter is null || b.Region == regionFilter) && b.Name.StartsWith(prefix, StringComparison.Ordinal)
                            && (after is null || string.CompareOrdinal(b.Name, after) > 0))
                .OrderBy(b => b.Name, StringComparer.Ordinal)
                .Select(b => (b.Name, b.Region, b.CreationDate))];
        }
        var page = buckets.Take(max).ToList();
        await S3Xml.WriteAsync(call.Response, S3Xml.E("ListAllMyBucketsResult",
            S3Xml.E("Owner", S3Xml.E("ID", OwnerId), S3Xml.E("DisplayName", "sandbox")),
            S3Xml.E("Buckets", page.Select(b => S3Xml.E("Bucket",
                S3Xml.E("Name", b.Name), S3Xml.E("CreationDate", S3Xml.Iso(b.Created)), S3Xml.E("BucketRegion", b.Region)))),
            buckets.Count > max ? S3Xml.E("ContinuationToken", page[^1].Name) : null,
            call.Query("prefix") is not null ? S3Xml.E("Prefix", prefix) : null), call.Aborted);
    }

    public static Task HeadBucketAsync(S3Call call)
    {
        string region;
        lock (call.Store.Gate) region = call.Store.Bucket(call.Bucket).Region;
        call.Response.Headers["x-amz-bucket-region"] = region;
        call.Response.Headers["x-amz-access-point-alias"] = "false";
        return call.OkAsync();
    }

    /// <summary>us-east-1 buckets answer an empty LocationConstraint, as S3 does.</summary>
    public static async Task GetBucketLocationAsync(S3Call call)
    {
        string region;
        lock (call.Store.Gate) region = call.Store.Bucket(call.Bucket).Region;
        await S3Xml.WriteAsync(call.Response, S3Xml.E("LocationConstraint", region == S3Store.DefaultRegion ? null : region), call.Aborted);
    }

    public static Task DeleteBucketAsync(S3Call call)
    {
        call.Store.DeleteBucket(call.Bucket);
        return call.NoContentAsync();
    }

    /// <summary>The canonical user id S3 reports for the sandbox account's owner.</summary>
    public const string OwnerId = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
}
