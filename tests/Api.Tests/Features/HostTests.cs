using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features;

public sealed class HostTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task the_catalog_is_served_with_clauses_and_sources()
    {
        var list = await api.Get("/licenses", "auditor");
        Assert.Equal(200, list.Status);
        Assert.True(list.Json["licenses"]!.AsArray().Count >= 20);
        var llama = await api.Get("/licenses/llama3.1", "architect");
        var clause = llama.Json["clauses"]!.AsArray().Single(c => (string?)c!["id"] == "llama3.1#2-additional-commercial-terms")!;
        Assert.Equal("threshold", (string?)clause["rule"]!["kind"]);
        Assert.Equal("release_snapshot", (string?)clause["rule"]!["timing"]);
        Assert.StartsWith("https://", (string?)llama.Json["source"]);
        Assert.Equal(404, (await api.Get("/licenses/no-such-license", "architect")).Status);
    }

    [Fact]
    public async Task the_openapi_document_covers_every_endpoint_with_schemas_and_roles()
    {
        var doc = await api.Send(HttpMethod.Get, "/openapi/v1.json", null);
        Assert.Equal(200, doc.Status);
        var paths = doc.Json["paths"]!.AsObject();
        foreach (var (method, url, allowed) in AccessTests.Matrix)
        {
            var template = url.Replace("0193a5b0-0000-7000-8000-000000000001", "{id}").Replace("llama3.1", "{id}")
                .Replace("/models/meta-llama/Llama-3.1-8B-Instruct", "/models/{repo}");
            var operation = paths[template]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {template} is not documented");
            Assert.Equal(allowed.Order(), operation!["x-roles"]!.AsArray().Select(r => (string)r!).Order());
            Assert.NotNull(operation["responses"]!["200"] ?? operation["responses"]!["201"]);
        }
        Assert.NotNull(paths["/deployments"]!["post"]!["requestBody"]);
        Assert.NotNull(paths["/deployments"]!["post"]!["responses"]!["201"]);
        Assert.Null(paths["/deployments"]!["post"]!["responses"]!["200"]);
        var decision = paths["/deployments/{id}/decision"]!["post"]!["responses"]!;
        foreach (var status in new[] { "400", "401", "403", "404", "409", "422" })
            Assert.Equal("#/components/schemas/ProblemDetails", (string?)decision[status]!["content"]!["application/problem+json"]!["schema"]!["$ref"]);
        Assert.NotNull(doc.Json["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["errors"]);
        Assert.NotNull(doc.Json["components"]!["schemas"]!["DeploymentView"]);
        var docs = await api.Send(HttpMethod.Get, "/docs/", null);
        Assert.Equal(200, docs.Status);
    }

    [Fact]
    public async Task health_endpoints_answer_without_a_token()
    {
        Assert.Equal(200, (await api.Send(HttpMethod.Get, "/health/live", null)).Status);
        var ready = await api.Send(HttpMethod.Get, "/health/ready", null);
        Assert.Equal(200, ready.Status);
        Assert.Equal("Healthy", ready.Text);
    }
}
