using System.Net;
using System.Text;
using System.Text.Json;

namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>The wire itself, below any SDK: AWS JSON 1.1, error bodies, request ids, epoch-second timestamps.</summary>
public sealed class WireProtocolTests
{
    private static HttpRequestMessage Call(SandboxHarness sandbox, string target, string body, string region = "us-east-1") => new(HttpMethod.Post, sandbox.Server.Url)
    {
        Headers =
        {
            { "X-Amz-Target", target },
            { "Authorization", $"AWS4-HMAC-SHA256 Credential=AKIDRAW/20260101/{region}/kms/aws4_request, SignedHeaders=host, Signature=00" },
        },
        Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
    };

    [Fact]
    public async Task ResponsesAreAwsJsonWithRequestIdsAndEpochSeconds()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(Call(sandbox, "TrentService.CreateKey", """{"MultiRegion":true}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType!.MediaType);
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-amzn-RequestId").Single(), out _));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var created = json.RootElement.GetProperty("KeyMetadata").GetProperty("CreationDate");
        Assert.Equal(JsonValueKind.Number, created.ValueKind);
        Assert.InRange(created.GetDouble(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task ErrorsCarryTypeAndMessage()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var http = new HttpClient();

        using var notFound = await http.SendAsync(Call(sandbox, "TrentService.DescribeKey", """{"KeyId":"alias/none"}"""));
        using var unknown = await http.SendAsync(Call(sandbox, "TrentService.Fly", "{}"));
        using var malformed = await http.SendAsync(Call(sandbox, "TrentService.ListKeys", "{not json"));
        using var wrongType = await http.SendAsync(Call(sandbox, "TrentService.CreateKey", """{"Tags":[{"TagKey":5,"TagValue":"x"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, notFound.StatusCode);
        using var body = JsonDocument.Parse(await notFound.Content.ReadAsStringAsync());
        Assert.Equal("NotFoundException", body.RootElement.GetProperty("__type").GetString());
        Assert.Contains("alias/none", body.RootElement.GetProperty("message").GetString());
        Assert.Contains("UnknownOperationException", await unknown.Content.ReadAsStringAsync());
        Assert.Contains("SerializationException", await malformed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("SerializationException", await wrongType.Content.ReadAsStringAsync());
    }
}
