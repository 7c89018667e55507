using System.Text;
using Amazon.Runtime;
using KmsDashboard.Core.Aws;

namespace KmsDashboard.Core.Tests.Aws;

/// <summary>The canonical request and signature against AWS's published SigV4 test suites (see SigV4TestSuite/README.md).</summary>
public sealed class SigV4SignerTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Aws", "SigV4TestSuite");

    public static TheoryData<string> AwsCAuthCases() =>
    [
        "get-header-value-trim", "get-unreserved", "get-utf8", "get-vanilla-empty-query-key",
        "get-vanilla-query-order-key-case", "get-vanilla-query-unreserved", "get-vanilla-with-session-token",
        "post-x-www-form-urlencoded",
    ];

    [Theory]
    [MemberData(nameof(AwsCAuthCases))]
    public void SignsLikeTheAwsCAuthSuite(string name)
    {
        var vector = SignedRequest.Read(Path.Combine(Root, "v4", name, "header-signed-request.txt"));

        var canonical = SigV4Signer.CanonicalRequest(vector.Method, vector.Path, vector.Query, vector.Headers,
            SigV4Signer.PayloadHash(Encoding.UTF8.GetBytes(vector.Body)), out var signedHeaders);
        var signature = SigV4Signer.SignCanonicalRequest(canonical, signedHeaders, AccessKey, SecretKey, "us-east-1", "service", SuiteTime);

        Assert.Equal(vector.Authorization, signature.Authorization);
    }

    [Theory]
    [InlineData("get-utf8", "/%E1%88%B4")]
    [InlineData("get-space", "/%20/foo")]
    public void BuildsTheBotocoreSuitesCanonicalRequestStringToSignAndAuthorization(string name, string path)
    {
        var expectedCanonical = File.ReadAllText(Path.Combine(Root, "aws4_testsuite", name + ".creq"));
        var headers = new List<KeyValuePair<string, string>> { new("Date", "Mon, 09 Sep 2011 23:36:00 GMT"), new("Host", "host.foo.com") };

        var canonical = SigV4Signer.CanonicalRequest("GET", path, "", headers, SigV4Signer.PayloadHash([]), out var signedHeaders);
        var signature = SigV4Signer.SignCanonicalRequest(canonical, signedHeaders, AccessKey, SecretKey, "us-east-1", "host",
            new DateTime(2011, 9, 9, 23, 36, 0, DateTimeKind.Utc));

        Assert.Equal(expectedCanonical, canonical);
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "aws4_testsuite", name + ".sts")), signature.StringToSign);
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "aws4_testsuite", name + ".authz")), signature.Authorization);
    }

    [Fact]
    public void SignAddsHostDateAndSessionTokenAsTheSuiteExpects()
    {
        var vector = SignedRequest.Read(Path.Combine(Root, "v4", "get-vanilla-with-session-token", "header-signed-request.txt"));
        var credentials = new ImmutableCredentials(AccessKey, SecretKey, "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
        var headers = new List<KeyValuePair<string, string>>();

        var signature = SigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/"), headers, [], credentials, "us-east-1", "service", SuiteTime);

        Assert.Equal(vector.Authorization, signature.Authorization);
        Assert.Equal(["Host", "X-Amz-Date", "X-Amz-Security-Token"], headers.Select(h => h.Key));
    }

    [Fact]
    public void SignSortsTheQueryOfAUriLikeTheSuite()
    {
        var vector = SignedRequest.Read(Path.Combine(Root, "v4", "get-vanilla-query-order-key-case", "header-signed-request.txt"));
        var headers = new List<KeyValuePair<string, string>>();

        var signature = SigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/?Param2=value2&Param1=value1"), headers, [],
            new ImmutableCredentials(AccessKey, SecretKey, null), "us-east-1", "service", SuiteTime);

        Assert.Equal(vector.Authorization, signature.Authorization);
    }

    /// <summary>A header-signed-request.txt: request line, headers (one holding the expected Authorization), blank line, body.</summary>
    private sealed record SignedRequest(string Method, string Path, string Query, List<KeyValuePair<string, string>> Headers, string Body, string Authorization)
    {
        public static SignedRequest Read(string file)
        {
            var text = File.ReadAllText(file, Encoding.UTF8);
            var split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var lines = text[..split].Split('\n');
            var body = text[(split + 2)..];
            var requestLine = lines[0].Split(' ');
            var target = requestLine[1];
            var q = target.IndexOf('?');
            var headers = new List<KeyValuePair<string, string>>();
            var authorization = "";
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                var (name, value) = (line[..colon], line[(colon + 1)..]);
                if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) authorization = value;
                else headers.Add(new(name, value));
            }
            return new SignedRequest(requestLine[0], q < 0 ? target : target[..q], q < 0 ? "" : target[(q + 1)..], headers, body, authorization);
        }
    }
}
