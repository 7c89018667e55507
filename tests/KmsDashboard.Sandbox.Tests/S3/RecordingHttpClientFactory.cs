using System.Collections.Concurrent;
using Amazon.Runtime;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>Gives an SDK client an HttpClient that keeps the headers of every request it sends, to see what the SDK really sent.</summary>
public sealed class RecordingHttpClientFactory : HttpClientFactory
{
    public ConcurrentQueue<(string Method, string Path, Dictionary<string, string> Headers)> Requests { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Recorder(this, new HttpClientHandler()));

    private sealed class Recorder(RecordingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            owner.Requests.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, headers));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
