using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Reassessment;

/// <summary>Company-wide re-assessment runs in the background, says how far it is, and leaves nothing assessed under outdated versions.</summary>
public sealed class ReassessmentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    internal static readonly object DenyUs = new { residency = Array.Empty<object>(), deniedOrigins = new[] { "US" }, attestationRequired = false };
    internal static readonly object NoRules = new { residency = Array.Empty<object>(), deniedOrigins = Array.Empty<string>(), attestationRequired = false };

    [Fact]
    public async Task a_company_change_answers_at_once_with_the_re_assessment_it_set_off_which_then_reports_its_progress()
    {
        await api.Put("/company/rules", "legal", NoRules);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
            ids.Add((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: $"progress-{i}"))).Json["id"]!);
        await api.SettleAsync();

        var change = await api.Put("/company/rules", "legal", DenyUs);
        Assert.Equal(200, change.Status);
        var run = change.Json["reassessment"]!;
        Assert.Equal(("queued", "company-rules-adopted"), ((string?)run["status"], (string?)run["trigger"]));
        Assert.Equal($"/reassessments/{(string)run["id"]!}", (string?)run["href"]);
        Assert.True((bool)change.Json["company"]!["rules"]!["deniedOrigins"]!.AsArray().Any(o => (string?)o == "US"));

        await api.SettleAsync();
        var finished = await api.Get((string)run["href"]!, "auditor");
        Assert.Equal("finished", (string?)finished.Json["status"]);
        Assert.True((int)finished.Json["done"]! >= 12);
        Assert.True((int)finished.Json["verdictsChanged"]! >= 12);
        Assert.NotNull(finished.Json["finishedAt"]);
        foreach (var id in ids)
            Assert.Equal("non_compliant", (string?)(await api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!["verdict"]);
        Assert.Contains((await api.Get("/reassessments", "legal")).Json.AsArray(), r => (string?)r!["id"] == (string?)run["id"]);
    }

    [Fact]
    public async Task a_change_made_just_after_a_run_finishes_is_done_by_its_own_run_not_one_deployment_at_a_time()
    {
        await api.Put("/company/rules", "legal", NoRules);
        // More than one page of the subscription (500 events), so the first run's assessments take a while to pass by.
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            ids.Add((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: $"back-to-back-{i}"))).Json["id"]!));
        await api.SettleAsync();

        // The second change is recorded while the first run's assessments are still to pass by the subscription: they
        // rest on the company version before it, but its own run will reach them, so convergence leaves them to it.
        var first = (string)(await api.Put("/company/rules", "legal", DenyUs)).Json["reassessment"]!["href"]!;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((string?)(await api.Get(first, "auditor")).Json["status"] != "finished")
        {
            Assert.True(DateTime.UtcNow < deadline, "the first run did not finish");
            await Task.Delay(10);
        }
        var second = await api.Put("/company/rules", "legal", NoRules);
        await api.SettleAsync();

        var run = (await api.Get((string)second.Json["reassessment"]!["href"]!, "auditor")).Json;
        Assert.True((int)run["verdictsChanged"]! >= ids.Count, run.ToJsonString());
        foreach (var id in ids)
        {
            var last = (await api.Get($"/deployments/{id}/events?limit=500", "auditor")).Json["events"]!.AsArray()
                .Last(e => (string?)e!["type"] == "deployment_assessed")!;
            Assert.Equal("company-rules-adopted", (string?)last["data"]!["trigger"]);
        }
    }

    [Fact]
    public async Task a_deployment_the_change_leaves_as_it_was_is_confirmed_under_the_new_versions()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "unaffected", licenseId: "apache-2.0", origin: "FR"))).Json["id"]!;
        await api.SettleAsync();
        var before = (await api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!;

        var change = await api.Post("/company/usage", "admin", new { month = "2026-10", monthlyActiveUsers = 1_000L, monthlyRevenueUsd = 10m });
        await api.SettleAsync();

        var after = (await api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!;
        Assert.Equal((string?)before["verdict"], (string?)after["verdict"]);
        Assert.Equal((long)change.Json["company"]!["version"]!, (long)after["companyVersion"]!);
        var trail = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray();
        Assert.Equal("assessment_confirmed", (string?)trail[^1]!["type"]);
    }

    [Fact]
    public async Task registrations_and_usage_reports_made_while_the_company_changes_all_end_assessed_under_the_versions_in_force()
    {
        await api.Put("/company", "admin", new { name = "Acme GmbH", domicile = "DE" });
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        for (var i = 0; i < 20; i++) ids.Add((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: $"busy-{i}"))).Json["id"]!);

        using var stop = new CancellationTokenSource();
        var registering = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
                ids.Add((string)(await api.Post("/deployments", "architect", Requests.Deployment(name: $"during-{i}"))).Json["id"]!);
        });
        var reporting = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = ids.ElementAt(i % 20);
                await api.Post($"/deployments/{id}/usage", "architect", new { monthlyActiveUsers = 300_000 + i });
            }
        });
        foreach (var change in new[] { DenyUs, NoRules, DenyUs })
            Assert.Equal(200, (await api.Put("/company/rules", "legal", change)).Status);
        Assert.Equal(200, (await api.Post("/company/usage", "admin", new { month = "2026-11", monthlyActiveUsers = 5_000L, monthlyRevenueUsd = 50m })).Status);
        stop.Cancel();
        await Task.WhenAll(registering, reporting);

        await api.SettleAsync();
        var company = (long)(await api.Get("/company", "auditor")).Json["company"]!["version"]!;
        var outdated = await api.Get("/deployments?outdated=true&pageSize=500", "auditor");
        Assert.Equal(0, (long)outdated.Json["total"]!);
        foreach (var id in ids.Distinct())
        {
            var assessment = (await api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!;
            Assert.Equal(company, (long)assessment["companyVersion"]!);
            Assert.Equal("non_compliant", (string?)assessment["verdict"]); // the last rules deny US models
        }
    }
}
