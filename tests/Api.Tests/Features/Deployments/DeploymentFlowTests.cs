using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Deployments;

public sealed class DeploymentFlowTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task register_assess_approve_then_a_usage_change_demands_review()
    {
        // Register: a Llama 3.1 SaaS product in the EU, attribution displayed.
        var registered = await api.Post("/deployments", "architect", Requests.Deployment());
        Assert.Equal(201, registered.Status);
        var id = (string)registered.Json["id"]!;
        Assert.Equal("pending_review", (string?)registered.Json["status"]);
        Assert.Equal(2, (int)registered.Json["version"]!);
        Assert.Equal("\"2\"", registered.ETag);
        var assessment = registered.Json["assessment"]!;
        Assert.Equal("conditional", (string?)assessment["verdict"]);
        Assert.StartsWith("sha256:", (string?)assessment["catalogVersion"]);
        Assert.NotNull(assessment["assessedAt"]);
        Assert.Contains(assessment["findings"]!.AsArray(), f => (string?)f!["code"] == "threshold-facts-missing");

        // What was written is read back at once.
        var read = await api.Get($"/deployments/{id}", "auditor");
        Assert.Equal(200, read.Status);
        Assert.Equal(2, (int)read.Json["version"]!);

        // Legal approves the version it read.
        var approved = await api.Post($"/deployments/{id}/decision", "legal",
            new { decision = "approve", justification = "Obligations are met by the product team." }, new Dictionary<string, string> { ["If-Match"] = "\"2\"" });
        Assert.Equal(200, approved.Status);
        Assert.Equal("approved", (string?)approved.Json["status"]);
        Assert.Equal("Test legal", (string?)approved.Json["decision"]!["by"]!["name"]);

        // The product moves personal data to us-east-1: the EU-only residency rule blocks, and review is demanded.
        var moved = await api.Post($"/deployments/{id}/usage", "architect", new { regions = new[] { "eu-west-1", "us-east-1" } });
        Assert.Equal(200, moved.Status);
        Assert.Equal("review_required", (string?)moved.Json["status"]);
        Assert.Equal("non_compliant", (string?)moved.Json["assessment"]!["verdict"]);
        Assert.Contains(moved.Json["assessment"]!["findings"]!.AsArray(), f => (string?)f!["code"] == "residency-violation");

        // The audit trail holds every step in order, each with its actor.
        var trail = await api.Get($"/deployments/{id}/events", "auditor");
        Assert.Equal(200, trail.Status);
        var types = trail.Json["events"]!.AsArray().Select(e => (string?)e!["type"]).ToList();
        Assert.Equal(["deployment_registered", "deployment_assessed", "deployment_approved", "deployment_usage_reported",
            "deployment_assessed", "deployment_review_required"], types);
        Assert.Equal("Test architect", (string?)trail.Json["events"]![0]!["actor"]!["name"]);
        Assert.Equal("legal", (string?)trail.Json["events"]![2]!["actor"]!["role"]);
        Assert.Equal("architect", (string?)trail.Json["events"]![5]!["actor"]!["role"]);

        // Legal rejects on review; nothing more can be decided.
        var rejected = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "reject", justification = "US transfer not covered." });
        Assert.Equal("rejected", (string?)rejected.Json["status"]);
        var again = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "changed my mind" });
        Assert.Equal(409, again.Status);
    }

    [Fact]
    public async Task as_of_replay_returns_the_verdict_at_that_instant()
    {
        var registered = await api.Post("/deployments", "architect", Requests.Deployment(name: "asOf"));
        var id = (string)registered.Json["id"]!;
        var trailBefore = await api.Get($"/deployments/{id}/events", "auditor");
        var registeredAt = DateTimeOffset.Parse((string)trailBefore.Json["events"]![1]!["time"]!);

        api.Clock.Advance(TimeSpan.FromSeconds(1)); // two distinct instants on the Api's clock, which stamps the events
        var moved = await api.Post($"/deployments/{id}/usage", "architect", new { regions = new[] { "us-east-1" } });
        Assert.Equal("non_compliant", (string?)moved.Json["assessment"]!["verdict"]);

        var then = await api.Get($"/deployments/{id}?asOf={Uri.EscapeDataString(registeredAt.AddTicks(10).ToString("O"))}", "auditor");
        Assert.Equal(200, then.Status);
        Assert.Equal("conditional", (string?)then.Json["assessment"]!["verdict"]);
        Assert.Equal("eu-west-1", (string?)then.Json["usage"]!["regions"]![0]);
        Assert.Equal(2, (int)then.Json["version"]!);

        var now = await api.Get($"/deployments/{id}", "auditor");
        Assert.Equal("non_compliant", (string?)now.Json["assessment"]!["verdict"]);

        var before = await api.Get($"/deployments/{id}?asOf=2000-01-01T00:00:00Z", "auditor");
        Assert.Equal(404, before.Status);
    }

    [Fact]
    public async Task approving_with_an_unwaived_blocking_finding_is_refused_and_a_waiver_makes_it_pass_until_it_lapses()
    {
        var registered = await api.Post("/deployments", "architect", Requests.Deployment(name: "waiver", regions: ["us-east-1"]));
        var id = (string)registered.Json["id"]!;
        Assert.Equal("non_compliant", (string?)registered.Json["assessment"]!["verdict"]);

        var refused = await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "ship it" });
        Assert.Equal(422, refused.Status);
        Assert.Contains("residency-violation", (string?)refused.Json["detail"]);
        Assert.StartsWith("application/problem+json", refused.ContentType);

        var expires = api.Clock.Today.AddDays(30);
        var approved = await api.Post($"/deployments/{id}/decision", "legal", new
        {
            decision = "approve", justification = "Standard contractual clauses signed with the US processor.",
            waivers = new[] { new { findingCode = "residency-violation", expiresOn = expires.ToString("yyyy-MM-dd"), reason = "SCCs in place until the EU region is live." } },
        });
        Assert.Equal(200, approved.Status);
        Assert.Equal("approved", (string?)approved.Json["status"]);
        Assert.Equal("conditional", (string?)approved.Json["assessment"]!["verdict"]);
        var waived = approved.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "residency-violation")!;
        Assert.Equal(expires.ToString("yyyy-MM-dd"), (string?)waived["waiver"]!["expiresOn"]);

        // A day before expiry nothing changes; on the expiry date the waiver lapses and review is demanded.
        api.Clock.Advance(TimeSpan.FromDays(29));
        await api.Sweep.RunOnceAsync(CancellationToken.None);
        await api.SettleAsync();
        Assert.Equal("approved", (string?)(await api.Get($"/deployments/{id}", "legal")).Json["status"]);

        api.Clock.Advance(TimeSpan.FromDays(1));
        await api.Sweep.RunOnceAsync(CancellationToken.None);
        await api.SettleAsync();
        var lapsed = await api.Get($"/deployments/{id}", "legal");
        Assert.Equal("review_required", (string?)lapsed.Json["status"]);
        Assert.Equal("non_compliant", (string?)lapsed.Json["assessment"]!["verdict"]);
        Assert.Empty(lapsed.Json["waivers"]!.AsArray());
        var types = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray().Select(e => (string?)e!["type"]).ToList();
        Assert.Equal(["waiver_lapsed", "deployment_review_required", "deployment_assessed"], types.TakeLast(3));
    }

    [Fact]
    public async Task an_unknown_license_registers_with_a_blocking_finding()
    {
        var registered = await api.Post("/deployments", "architect", Requests.Deployment(name: "mystery", licenseId: "acme-model-license-2"));
        Assert.Equal(201, registered.Status);
        var finding = registered.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "unknown-license")!;
        Assert.Equal("blocking", (string?)finding["severity"]);
        Assert.Equal("non_compliant", (string?)registered.Json["assessment"]!["verdict"]);
    }

    [Fact]
    public async Task retrying_a_post_with_the_same_idempotency_key_returns_the_original_and_records_nothing_twice()
    {
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString() };
        var body = Requests.Deployment(name: "idempotent");
        var first = await api.Post("/deployments", "architect", body, key);
        var second = await api.Post("/deployments", "architect", body, key);
        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);
        Assert.Equal(first.Text, second.Text);

        var list = await api.Get("/deployments?pageSize=500", "auditor");
        Assert.Single(list.Json["items"]!.AsArray(), d => (string?)d!["name"] == "idempotent");

        var different = await api.Post("/deployments", "architect", Requests.Deployment(name: "other"), key);
        Assert.Equal(422, different.Status);
    }

    [Fact]
    public async Task retired_deployments_accept_no_more_changes_and_filters_find_them()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "retire-me"))).Json["id"]!;
        var retired = await api.Post($"/deployments/{id}/retire", "legal", new { reason = "Replaced by Llama 3.3." });
        Assert.Equal("retired", (string?)retired.Json["status"]);
        Assert.Equal(409, (await api.Post($"/deployments/{id}/usage", "architect", new { monthlyActiveUsers = 5 })).Status);
        Assert.Equal(409, (await api.Post($"/deployments/{id}/retire", "architect", new { })).Status);

        var list = await api.Get("/deployments?status=retired&pageSize=500", "auditor");
        Assert.Contains(list.Json["items"]!.AsArray(), d => (string?)d!["id"] == id);
        Assert.All(list.Json["items"]!.AsArray(), d => Assert.Equal("retired", (string?)d!["status"]));
    }
}
