using System.Text.Json;
using System.Text.RegularExpressions;
using KmsDashboard.Core.Storage;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Object scan states as small JSON files, <c>{Storage:DataDirectory}/object-scans/{bucket}.json</c> (with several
/// accounts, <c>object-scans/{account}/{bucket}.json</c>), replaced atomically.
/// </summary>
public sealed partial class ObjectScanStore(IOptions<StorageOptions> storage)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _directory = Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "object-scans");

    public ObjectScanState? Load(string bucket, string? account = null)
    {
        var path = PathOf(bucket, account);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ObjectScanState>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            // A damaged file is a scan to start again, not an error page.
            return null;
        }
    }

    public async Task SaveAsync(ObjectScanState state, CancellationToken cancellationToken)
    {
        var path = PathOf(state.Bucket, state.Account);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(state, Json), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string bucket, string? account = null)
    {
        var path = PathOf(bucket, account);
        if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>S3 bucket naming rules (general purpose buckets): 3–63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit.</summary>
    public static bool IsBucketName(string? name) => name is not null && BucketName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    private string PathOf(string bucket, string? account)
    {
        if (!IsBucketName(bucket)) throw new ArgumentException($"'{bucket}' is not an S3 bucket name.", nameof(bucket));
        if (string.IsNullOrEmpty(account)) return Path.Combine(_directory, bucket + ".json");
        // The account is a directory name: only a 12-digit account id may become one.
        if (!Aws.Accounts.AccountRules.IsAccountId(account)) throw new ArgumentException($"'{account}' is not an AWS account id (12 digits).", nameof(account));
        return Path.Combine(_directory, account, bucket + ".json");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
