using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Pipeline;

/// <summary>
/// What only the real web server shows: its own limits. The upload limit of <c>/reports/verify</c> is the one the 413
/// states (not Kestrel's 30 MB default), and over-long URLs and headers are answered by the product with problems.
/// </summary>
public sealed class KestrelRefusalTests
{
    [Fact]
    public async Task over_kestrel_the_verify_limit_is_the_stated_one_and_every_refusal_is_a_problem()
    {
        await using var api = await ApiProcess.StartAsync(await PostgresServer.CreateDatabaseAsync("kestrel"), ApiFixture.SigningKey);

        // 40 MiB: over Kestrel's default of 30 MB, under the stated 100 MiB, so it is read and looked up.
        var big = await Upload(api, new StreamContent(new MemoryStream(new byte[40 << 20])));
        Assert.True(big.Status == 200, $"{big.Text}\n{api.Output}");
        Assert.False((bool)big.Json!["verified"]!);

        // Over the stated limit, announced up front or found out while streaming: a 413 problem.
        var announced = await Upload(api, new StreamContent(new ZeroStream((100L << 20) + 1)) { Headers = { ContentLength = (100L << 20) + 1 } });
        Assert.Equal(413, announced.Status);
        Assert.StartsWith("application/problem+json", announced.ContentType);
        Assert.Contains("100 MiB", announced.Text);

        // A URL and headers past the product's limits (below Kestrel's): problems naming what was too long.
        var url = await Send(api, $"/deployments?license={new string('a', 10_000)}", null);
        Assert.Equal((414, "query"), (url.Status, Name(url)));
        var headers = await Send(api, "/deployments", ("X-Padding", new string('p', 40_000)));
        Assert.Equal((431, "X-Padding"), (headers.Status, Name(headers)));
    }

    private static string? Name(Reply reply) => (string?)reply.Json?["errors"]?[0]?["name"];

    private static async Task<Reply> Upload(ApiProcess api, HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reports/verify") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token("auditor"));
        // A refusal before the body is read closes the connection; with 100-continue the client hears it before sending.
        request.Headers.ExpectContinue = true;
        return await Read(await api.Http.SendAsync(request));
    }

    private static async Task<Reply> Send(ApiProcess api, string url, (string Name, string Value)? header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token("auditor"));
        if (header is { } h) request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        return await Read(await api.Http.SendAsync(request));
    }

    private static async Task<Reply> Read(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var type = response.Content.Headers.ContentType?.ToString() ?? "";
            return new Reply((int)response.StatusCode, type.Contains("json") && text.Length > 0 ? JsonNode.Parse(text) : null, text, "", type);
        }
    }

    /// <summary>A body of zeros of a given length, produced as it is read (no 100 MiB buffer in the test).</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
