using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Ui.Tests.Infrastructure;

/// <summary>The REST API over real HTTP with bearer tokens: how tests set the scene the console then shows.</summary>
public sealed class Api(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string url, string role, object? body = null, string? name = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleFactory.Token(role, name ?? $"Test {role}"));
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: Governance.Api.Infrastructure.Json.Options);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true ? JsonNode.Parse(text) : null;
        return ((int)response.StatusCode, json, response);
    }

    public async Task<JsonNode> PostAsync(string url, string role, object body, string? name = null, IDictionary<string, string>? headers = null)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Post, url, role, body, name, headers);
        Assert.True(status is 200 or 201, $"POST {url} answered {status}: {json?.ToJsonString()}");
        return json!;
    }

    public async Task<JsonNode> PutAsync(string url, string role, object body, string? name = null)
    {
        var (status, json, _) = await SendAsync(HttpMethod.Put, url, role, body, name);
        Assert.True(status is 200 or 201, $"PUT {url} answered {status}: {json?.ToJsonString()}");
        return json!;
    }

    /// <summary>Registers a deployment as an architect and returns its id.</summary>
    public async Task<Guid> RegisterAsync(object deployment, string architect = "Ari Architect") =>
        Guid.Parse((string)(await PostAsync("/deployments", "architect", deployment, architect))["id"]!);

    public async Task<JsonNode> DecideAsync(Guid id, string decision, string justification, object[]? waivers = null, string legal = "Dana Legal") =>
        await PostAsync($"/deployments/{id}/decision", "legal", new { decision, justification, waivers = waivers ?? [] }, legal);

    public static string Json(object value) => JsonSerializer.Serialize(value, Governance.Api.Infrastructure.Json.Options);
}
