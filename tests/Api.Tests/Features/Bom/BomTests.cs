using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;
using NJsonSchema;

namespace Governance.Api.Tests.Features.Bom;

public sealed class BomTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Lazy<Task<JsonSchema>> CycloneDxSchema = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(ApiFixture.RepoRoot, "..", "shared", "schemas", "cyclonedx", "bom-1.6.schema.json")));

    /// <summary>The schema errors of a CycloneDX document, as readable lines; empty when valid.</summary>
    public static async Task<IReadOnlyList<string>> CycloneDxErrors(string json) =>
        (await CycloneDxSchema.Value).Validate(json).Select(e => $"{e.Path}: {e.Kind}").ToList();

    private async Task<string> Deployment(string licenseId, string[]? baseModels = null)
    {
        var body = (JsonObject)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Requests.Deployment(name: "bom-" + licenseId, licenseId: licenseId), Api.Infrastructure.Json.Options))!;
        body["model"]!["baseModels"] = new JsonArray((baseModels ?? []).Select(b => (JsonNode)JsonValue.Create(b)!).ToArray());
        body["model"]!["isDerivative"] = baseModels is { Length: > 0 };
        var reply = await api.Send(HttpMethod.Post, "/deployments", "architect", body.ToJsonString());
        Assert.Equal(201, reply.Status);
        return (string)reply.Json["id"]!;
    }

    [Theory]
    [InlineData("llama3.1")]
    [InlineData("apache-2.0")]
    [InlineData("an-unknown-license")]
    public async Task the_cyclonedx_bom_validates_against_the_official_1_6_schema(string licenseId)
    {
        var id = await Deployment(licenseId, ["meta-llama/Llama-3.1-8B"]);
        var reply = await api.Get($"/deployments/{id}/bom?format=cyclonedx", "auditor");
        Assert.Equal(200, reply.Status);
        Assert.StartsWith("application/vnd.cyclonedx+json", reply.ContentType);

        var errors = (await CycloneDxSchema.Value).Validate(reply.Text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));

        var model = reply.Json["components"]![0]!;
        Assert.Equal("machine-learning-model", (string?)model["type"]);
        Assert.Equal(Requests.Sha, (string?)model["hashes"]![0]!["content"]);
        Assert.Equal("meta-llama/Llama-3.1-8B", (string?)model["pedigree"]!["ancestors"]![0]!["name"]);
        Assert.Contains(model["properties"]!.AsArray(), p => (string?)p!["name"] == "governance:verdict");
        if (licenseId == "apache-2.0") Assert.Equal("Apache-2.0", (string?)model["licenses"]![0]!["license"]!["id"]);
        else Assert.NotNull(model["licenses"]![0]!["license"]!["name"]);
    }

    [Fact]
    public async Task the_same_deployment_version_gives_the_same_bom()
    {
        var id = await Deployment("mit");
        var first = await api.Get($"/deployments/{id}/bom", "legal");
        var second = await api.Get($"/deployments/{id}/bom", "legal");
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task the_spdx_bom_has_an_ai_package_with_the_ai_profiles_required_properties()
    {
        var id = await Deployment("llama3.1", ["meta-llama/Llama-3.1-8B"]);
        var reply = await api.Get($"/deployments/{id}/bom?format=spdx", "auditor");
        Assert.Equal(200, reply.Status);
        Assert.Equal("https://spdx.org/rdf/3.0.1/spdx-context.jsonld", (string?)reply.Json["@context"]);
        var graph = reply.Json["@graph"]!.AsArray().Select(n => n!.AsObject()).ToList();

        var creation = Assert.Single(graph, n => (string?)n["type"] == "CreationInfo");
        Assert.Equal("3.0.1", (string?)creation["specVersion"]);
        Assert.NotNull(creation["created"]);
        Assert.NotEmpty(creation["createdBy"]!.AsArray());

        // Every element has a type, an spdxId and creation info (Core/Element's required properties).
        foreach (var element in graph.Where(n => (string?)n["type"] != "CreationInfo"))
        {
            Assert.NotNull(element["spdxId"]);
            Assert.Equal("_:creationinfo", (string?)element["creationInfo"]);
        }

        var spdxIds = graph.Select(n => (string?)n["spdxId"]).Where(s => s is not null).ToHashSet();
        var package = graph.First(n => (string?)n["type"] == "ai_AIPackage" && (string?)n["name"] == "Meta-Llama-3.1-8B-Instruct");
        // AIPackage's restrictions on inherited properties (spdx-3-model AI/Classes/AIPackage.md): each at least once.
        foreach (var required in new[] { "suppliedBy", "software_downloadLocation", "software_packageVersion", "software_primaryPurpose", "releaseTime" })
            Assert.False(string.IsNullOrEmpty((string?)package[required]), $"{required} is missing");
        Assert.Contains((string)package["suppliedBy"]!, spdxIds);
        Assert.Equal("model", (string?)package["software_primaryPurpose"]);
        Assert.Null(package["ai_energyConsumption"]);
        Assert.Equal(Requests.Sha, (string?)package["verifiedUsing"]![0]!["hashValue"]);

        var packageId = (string)package["spdxId"]!;
        foreach (var relationship in new[] { "hasDeclaredLicense", "hasConcludedLicense" })
        {
            var rel = Assert.Single(graph, n => (string?)n["relationshipType"] == relationship);
            Assert.Equal(packageId, (string?)rel["from"]);
            var license = graph.Single(n => (string?)n["spdxId"] == (string?)rel["to"]![0]);
            Assert.Equal("simplelicensing_LicenseExpression", (string?)license["type"]);
            Assert.Equal("LicenseRef-llama3.1", (string?)license["simplelicensing_licenseExpression"]);
        }
        Assert.Single(graph, n => (string?)n["relationshipType"] == "ancestorOf" && (string?)n["to"]![0] == packageId);

        var document = Assert.Single(graph, n => (string?)n["type"] == "SpdxDocument");
        Assert.Contains("ai", document["profileConformance"]!.AsArray().Select(p => (string?)p));
        Assert.All(document["element"]!.AsArray(), e => Assert.Contains((string)e!, spdxIds));
    }

    [Fact]
    public async Task an_unknown_format_is_a_400_naming_the_field()
    {
        var id = await Deployment("mit");
        var reply = await api.Get($"/deployments/{id}/bom?format=xml", "auditor");
        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == "format");
    }
}
