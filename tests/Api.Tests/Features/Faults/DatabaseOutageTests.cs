using System.Net.Http.Headers;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Faults;

/// <summary>The Api on a database of its own behind a <see cref="TcpGate"/> the tests can shut.</summary>
public sealed class GatedApi : IAsyncLifetime
{
    public TcpGate Gate { get; private set; } = null!;
    public ApiFixture Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (gate, connectionString) = TcpGate.InFrontOf(await PostgresServer.CreateDatabaseAsync("outage"));
        Gate = gate;
        Api = new ApiFixture { Settings = new Dictionary<string, string> { ["ConnectionStrings:Governance"] = connectionString } };
        await Api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        Gate.Restore();
        await Api.DisposeAsync();
        await Gate.DisposeAsync();
    }
}

/// <summary>
/// While PostgreSQL cannot be reached every request that needs it answers 503 problem details with Retry-After (the
/// client should come back, nothing is wrong with its request), readiness says 503 with a problem body, and once the
/// database is back the same Api serves again without a restart.
/// </summary>
public sealed class DatabaseOutageTests(GatedApi gated) : IClassFixture<GatedApi>
{
    [Fact]
    public async Task while_the_database_is_unreachable_reads_writes_and_readiness_answer_503_with_retry_after_and_recover_after()
    {
        using var http = gated.Api.Host.Server.CreateClient();
        Assert.Equal(201, (await Send(http, HttpMethod.Post, "/deployments", "architect", Requests.Deployment(name: "before"))).Status);

        gated.Gate.Cut();
        try
        {
            var requests = new (HttpMethod Method, string Url, string Role, object? Body, string? Key)[]
            {
                (HttpMethod.Get, "/deployments", "auditor", null, null),
                (HttpMethod.Get, "/company", "auditor", null, null),
                (HttpMethod.Post, "/deployments", "architect", Requests.Deployment(name: "during"), null),
                (HttpMethod.Post, "/deployments", "architect", Requests.Deployment(name: "during-keyed"), Guid.NewGuid().ToString()),
                (HttpMethod.Put, "/company", "admin", new { name = "Acme", domicile = "DE" }, null),
                (HttpMethod.Post, "/scans/lease", "scanner", new { }, null),
            };
            foreach (var (method, url, role, body, key) in requests)
            {
                var reply = await Send(http, method, url, role, body, key);
                Assert.True(reply.Status == 503, $"{method} {url}: {reply.Status} {reply.Text}");
                Assert.Equal("application/problem+json", reply.ContentType);
                Assert.Equal("5", reply.RetryAfter);
            }

            var ready = await Send(http, HttpMethod.Get, "/health/ready", null);
            Assert.Equal(503, ready.Status);
            Assert.Equal("application/problem+json", ready.ContentType);
            Assert.Equal("5", ready.RetryAfter);
            Assert.Contains("postgresql", ready.Text);
        }
        finally { gated.Gate.Restore(); }

        // Broken pooled connections are dropped as they are met; the Api serves again within seconds, unrestarted.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        (int Status, string Text, string ContentType, string RetryAfter) after;
        do after = await Send(http, HttpMethod.Post, "/deployments", "architect", Requests.Deployment(name: "after"));
        while (after.Status == 503 && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal(201, after.Status);
        Assert.Equal(200, (await Send(http, HttpMethod.Get, "/health/ready", null)).Status);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }

    private static async Task<(int Status, string Text, string ContentType, string RetryAfter)> Send(
        HttpClient http, HttpMethod method, string url, string? role, object? body = null, string? key = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (role is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.Token(role));
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        if (body is not null)
            request.Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body, Api.Infrastructure.Json.Options), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType ?? "",
            response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
    }
}
