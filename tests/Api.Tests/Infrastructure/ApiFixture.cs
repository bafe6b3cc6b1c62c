using System.Text.Json.Nodes;
using Alba;
using Governance.Api.Auth;
using Governance.Api.Features.Reassessment;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>
/// The real Api (real HTTP pipeline, real PostgreSQL, real catalog) on a database of its own, with a clock the
/// test sets. One per test class.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private static readonly byte[] Key = Enumerable.Range(1, 48).Select(i => (byte)i).ToArray();
    private static readonly SymmetricSecurityKey SecurityKey = new(Key) { KeyId = "configured" };

    /// <summary>The configured signing key every test Api shares, in-process or not.</summary>
    public static byte[] SigningKey => Key;

    /// <summary>Extra configuration, for tests about configuration (set before <see cref="InitializeAsync"/>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("api");
        Host = await AlbaHost.For<Program>(b =>
        {
            b.UseSetting("ConnectionStrings:Governance", connectionString);
            b.UseSetting("Governance:Auth:SigningKey", Convert.ToBase64String(Key));
            b.UseSetting("Governance:PoliciesDir", Path.Combine(RepoRoot, "policies"));
            foreach (var (key, value) in Settings) b.UseSetting(key, value);
            b.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
        });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public static string Token(string role, string? name = null) =>
        Tokens.Issue(SecurityKey, role, name ?? $"Test {role}", now: DateTimeOffset.UtcNow);

    public SweepService Sweep => Host.Services.GetRequiredService<SweepService>();

    /// <summary>
    /// Waits until the background re-assessment has caught up: the daemon's subscription has seen every event and every
    /// queued run has finished. Tests about what a change leads to call it before they look.
    /// </summary>
    public async Task SettleAsync(TimeSpan? timeout = null)
    {
        var store = Host.Services.GetRequiredService<Marten.IDocumentStore>();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(store, timeout ?? TimeSpan.FromSeconds(60));
            await using var query = store.QuerySession();
            if (!await Marten.QueryableExtensions.AnyAsync(query.Query<ReassessmentRun>().Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running), cancel.Token))
                return;
            await Task.Delay(50, cancel.Token);
        }
    }

    /// <summary>Sends a request as <paramref name="role"/> and returns status and parsed body.</summary>
    public async Task<Reply> Send(HttpMethod method, string url, string? role, string? json = null, IDictionary<string, string>? headers = null)
    {
        var result = await Host.Scenario(s =>
        {
            var target = method == HttpMethod.Get ? s.Get : method == HttpMethod.Put ? s.Put : method == HttpMethod.Delete ? s.Delete : s.Post;
            if (json is not null)
            {
                s.Body.TextIs(json);
                s.WithRequestHeader("Content-Type", "application/json");
            }
            target.Url(url);
            if (role is not null) s.WithBearerToken(Token(role));
            foreach (var (k, v) in headers ?? new Dictionary<string, string>()) s.WithRequestHeader(k, v);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        var contentType = result.Context.Response.ContentType ?? "";
        JsonNode? body = null;
        if (text.Length > 0 && contentType.Contains("json")) body = JsonNode.Parse(text);
        return new Reply(result.Context.Response.StatusCode, body, text, result.Context.Response.Headers.ETag.ToString(), contentType);
    }

    public Task<Reply> Get(string url, string role) => Send(HttpMethod.Get, url, role);

    /// <summary>A binary download (a PDF) with its response headers.</summary>
    public async Task<(int Status, byte[] Body, IHeaderDictionary Headers)> Download(string url, string role)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithBearerToken(Token(role));
            s.IgnoreStatusCode();
        });
        using var buffer = new MemoryStream();
        if (result.Context.Response.Body.CanSeek) result.Context.Response.Body.Position = 0;
        await result.Context.Response.Body.CopyToAsync(buffer);
        return (result.Context.Response.StatusCode, buffer.ToArray(), result.Context.Response.Headers);
    }

    /// <summary>Uploads bytes as application/pdf.</summary>
    public async Task<Reply> UploadPdf(string url, string role, byte[] pdf)
    {
        var result = await Host.Scenario(s =>
        {
            s.Stream(new MemoryStream(pdf));
            s.Post.Url(url);
            s.WithRequestHeader("Content-Type", "application/pdf");
            s.WithBearerToken(Token(role));
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        return new Reply(result.Context.Response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, text, "", result.Context.Response.ContentType ?? "");
    }

    public Task<Reply> Post(string url, string role, object body, IDictionary<string, string>? headers = null) =>
        Send(HttpMethod.Post, url, role, System.Text.Json.JsonSerializer.Serialize(body, Governance.Api.Infrastructure.Json.Options), headers);

    public Task<Reply> Put(string url, string role, object body) =>
        Send(HttpMethod.Put, url, role, System.Text.Json.JsonSerializer.Serialize(body, Governance.Api.Infrastructure.Json.Options));

    public static string RepoRoot => ApiProcess.RepoRoot;
}

/// <summary>
/// The Api's clock in tests: it starts at the real instant (tokens carry real times, and "today" is today) and then
/// stands still until a test moves it, so waivers lapse and months pass without sleeping and two readings of the clock
/// never straddle a second. Event timestamps come from it too (Marten's QuickWithServerTimestamps), so as-of instants
/// are the test's to choose.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock) _now += by;
    }

    public DateOnly Today => DateOnly.FromDateTime(GetUtcNow().UtcDateTime);
}
