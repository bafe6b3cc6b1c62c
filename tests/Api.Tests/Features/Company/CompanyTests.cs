using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Company;

public sealed class CompanyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task company_usage_in_the_month_before_release_re_assesses_open_deployments()
    {
        await api.Put("/company", "admin", new { name = "Acme GmbH", domicile = "DE" });
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "llama-snapshot"))).Json["id"]!;
        var approved = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "fine" });
        Assert.Equal(200, approved.Status);

        // Today's usage is irrelevant to Llama 3.1's snapshot test...
        var today = await api.Post("/company/usage", "architect", new { month = "2026-10", monthlyActiveUsers = 900_000_000L, monthlyRevenueUsd = 1_000_000m });
        Assert.Equal(200, today.Status);
        await api.SettleAsync();
        Assert.Equal("approved", (string?)(await api.Get($"/deployments/{id}", "legal")).Json["status"]);

        // ...June 2024, the month before the 2024-07-23 release, decides it.
        await api.Post("/company/usage", "admin", new { month = "2024-06", monthlyActiveUsers = 750_000_000L, monthlyRevenueUsd = 1_000_000m });
        await api.SettleAsync();
        var after = await api.Get($"/deployments/{id}", "legal");
        Assert.Equal("review_required", (string?)after.Json["status"]);
        var finding = after.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "mau-threshold-exceeded")!;
        Assert.Equal("llama3.1#2-additional-commercial-terms", (string?)finding["clauseId"]);
        Assert.Equal("750,000,000", (string?)finding["facts"]!["measured"]);
        Assert.Equal("company-usage-reported", (string?)after.Json["assessment"]!["trigger"]);
    }

    [Fact]
    public async Task adopted_rules_replace_the_defaults_and_re_assess()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "qwen", licenseId: "apache-2.0", origin: "CN"))).Json["id"]!;
        var rules = await api.Put("/company/rules", "legal", new
        {
            residency = new[] { new { dataClass = "personal", allowedRegions = new[] { "eu-*" } } },
            deniedOrigins = new[] { "CN" },
            attestationRequired = true,
        });
        Assert.Equal(200, rules.Status);
        await api.SettleAsync();

        var company = await api.Get("/company", "auditor");
        Assert.False((bool)company.Json["defaultRules"]!);
        Assert.Equal("CN", (string?)company.Json["rulesInForce"]!["deniedOrigins"]![0]);

        var deployment = await api.Get($"/deployments/{id}", "auditor");
        var codes = deployment.Json["assessment"]!["findings"]!.AsArray().Select(f => (string?)f!["code"]).ToList();
        Assert.Contains("origin-denied", codes);
        Assert.Contains("attestation-required", codes);
        Assert.Equal("non_compliant", (string?)deployment.Json["assessment"]!["verdict"]);
    }

    [Theory]
    [InlineData("""{"month":"2026-13","monthlyActiveUsers":1,"monthlyRevenueUsd":1}""", "month")]
    [InlineData("""{"month":"2099-01","monthlyActiveUsers":1,"monthlyRevenueUsd":1}""", "month")]
    [InlineData("""{"month":"2026-01","monthlyActiveUsers":-1,"monthlyRevenueUsd":1}""", "monthlyActiveUsers")]
    [InlineData("""{"month":"2026-01","monthlyActiveUsers":"many","monthlyRevenueUsd":1}""", "monthlyActiveUsers")]
    [InlineData("""{"month":"2026-01","monthlyActiveUsers":1}""", "monthlyRevenueUsd")]
    public async Task bad_company_usage_is_refused_naming_the_field(string json, string field)
    {
        var reply = await api.Send(HttpMethod.Post, "/company/usage", "admin", json);
        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == field);
    }
}
