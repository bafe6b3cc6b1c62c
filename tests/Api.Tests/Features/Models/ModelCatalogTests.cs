using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Models;

/// <summary>Registering a model by its catalog id, and what the catalog then knows better than a declaration.</summary>
public sealed class ModelCatalogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object ByRepo(string name, string repo, object? extra = null, object? usage = null) => new
    {
        name,
        model = extra ?? new { repo, artifactSha256 = Requests.Sha },
        usage = usage ?? new { commercial = true, hosting = "saas", regions = new[] { "eu-west-1" }, dataClasses = new[] { "personal" }, displaysAttribution = true },
    };

    [Fact]
    public async Task the_catalog_is_served_and_a_model_is_found_by_its_repository_id()
    {
        var list = await api.Get("/models", "architect");
        Assert.Equal(200, list.Status);
        Assert.StartsWith("sha256:", (string?)list.Json["modelCatalogVersion"]);
        Assert.True(list.Json["models"]!.AsArray().Count >= 100);

        var model = await api.Get("/models/meta-llama/Llama-3.1-8B-Instruct", "auditor");
        Assert.Equal(200, model.Status);
        Assert.Equal(("llama3.1", "2024-07-23", "US"), ((string?)model.Json["licenseId"], (string?)model.Json["releaseDate"], (string?)model.Json["origin"]));
        Assert.Equal(404, (await api.Get("/models/acme/not-a-model", "auditor")).Status);
    }

    [Fact]
    public async Task a_deployment_registered_by_repository_id_takes_its_facts_from_the_catalog()
    {
        var registered = await api.Post("/deployments", "architect", ByRepo("by-repo", "meta-llama/Llama-3.1-8B-Instruct"));

        Assert.True(registered.Status == 201, registered.ToString());
        var model = registered.Json["model"]!;
        Assert.Equal(("meta-llama/Llama-3.1-8B-Instruct", "llama3.1", "2024-07-23", "text"),
            ((string?)model["repo"], (string?)model["licenseId"], (string?)model["releaseDate"], (string?)model["modality"]));
        Assert.DoesNotContain(registered.Json["assessment"]!["findings"]!.AsArray(), f => (string?)f!["code"] == "model-facts-mismatch");
    }

    [Fact]
    public async Task a_declared_fact_that_contradicts_the_catalog_is_a_finding_naming_both_values()
    {
        var registered = await api.Post("/deployments", "architect", ByRepo("contradicts", "",
            new { repo = "meta-llama/Llama-3.1-8B-Instruct", artifactSha256 = Requests.Sha, releaseDate = "2025-01-01" }));

        Assert.Equal(201, registered.Status);
        var finding = registered.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "model-facts-mismatch")!;
        Assert.Equal(("2025-01-01", "2024-07-23"), ((string?)finding["facts"]!["declared"], (string?)finding["facts"]!["catalog"]));
    }

    [Fact]
    public async Task a_distilled_model_carries_its_base_models_license_too()
    {
        var registered = await api.Post("/deployments", "architect", ByRepo("distilled", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"));

        Assert.Equal(201, registered.Status);
        Assert.Equal("mit", (string?)registered.Json["model"]!["licenseId"]);
        Assert.Contains(registered.Json["assessment"]!["findings"]!.AsArray(), f => ((string?)f!["clauseId"])!.StartsWith("llama3.1#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_repository_id_the_catalog_does_not_hold_is_refused_naming_the_field()
    {
        var reply = await api.Post("/deployments", "architect", ByRepo("unknown", "acme/secret-model"));

        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == "model.repo");
    }

    [Fact]
    public async Task without_a_repository_id_the_hand_typed_facts_are_still_required() =>
        Assert.Contains((await api.Post("/deployments", "architect", ByRepo("typed", "", new { artifactSha256 = Requests.Sha }))).Json["errors"]!.AsArray(),
            e => (string?)e!["name"] == "model.licenseId");

    [Fact]
    public async Task undeclared_product_users_leave_a_product_threshold_open_and_declaring_them_settles_it()
    {
        var id = (string)(await api.Post("/deployments", "architect", ByRepo("qwen-product", "Qwen/Qwen2.5-72B-Instruct"))).Json["id"]!;
        var open = await api.Get($"/deployments/{id}", "legal");
        Assert.Null(open.Json["usage"]!["monthlyActiveUsers"]);
        Assert.Contains(open.Json["assessment"]!["findings"]!.AsArray(), f => (string?)f!["code"] == "threshold-facts-missing");

        var declared = await api.Post($"/deployments/{id}/usage", "architect", new { monthlyActiveUsers = 1_000 });
        Assert.DoesNotContain(declared.Json["assessment"]!["findings"]!.AsArray(), f => (string?)f!["code"] == "threshold-facts-missing");
    }

    [Theory]
    [InlineData("""{"userCountries":["de"]}""", "usage.userCountries[0]")]
    [InlineData("""{"monthlyRevenueUsd":-1}""", "usage.monthlyRevenueUsd")]
    public async Task new_usage_facts_are_validated_naming_the_field(string usageJson, string field)
    {
        var json = "{\"name\":\"x\",\"model\":{\"repo\":\"meta-llama/Llama-3.1-8B-Instruct\",\"artifactSha256\":\"" + Requests.Sha +
                   "\"},\"usage\":{\"commercial\":true,\"hosting\":\"saas\",\"regions\":[\"eu-west-1\"]," + usageJson[1..^1] + "}}";
        var reply = await api.Send(HttpMethod.Post, "/deployments", "architect", json);
        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == field);
    }

    [Fact]
    public async Task the_company_profile_says_whether_it_is_a_commercial_entity_and_which_businesses_it_runs()
    {
        var set = await api.Put("/company", "admin", new { name = "Acme Research e.V.", domicile = "DE", commercialEntity = false, businesses = new[] { "model_as_a_service" } });

        Assert.Equal(200, set.Status);
        Assert.False((bool)set.Json["company"]!["commercialEntity"]!);
        Assert.Equal("model_as_a_service", (string?)set.Json["company"]!["businesses"]![0]);
        var defaulted = await api.Put("/company", "admin", new { name = "Acme GmbH", domicile = "DE" });
        Assert.True((bool)defaulted.Json["company"]!["commercialEntity"]!);
        Assert.Null(defaulted.Json["company"]!["businesses"]);
    }
}
