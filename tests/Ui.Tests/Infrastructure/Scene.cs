using Governance.Api.Tests.Infrastructure;

namespace Governance.Ui.Tests.Infrastructure;

/// <summary>Scenes the console tests start from, set through the REST API as the real users would.</summary>
public static class Scene
{
    /// <summary>
    /// A company with figures over a few months, and two deployments: one conditional waiting in the inbox, and one whose
    /// personal data leaves the EU (a blocking residency finding), with a unique name so tests find their own rows.
    /// </summary>
    public static async Task<(Guid Conditional, Guid Blocked, string Tag)> TwoDeploymentsAsync(Api api)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        // The company is set once per console: each change re-assesses every open deployment.
        var (status, company, _) = await api.SendAsync(HttpMethod.Get, "/company", "auditor");
        if (status == 200 && company!["company"]!["usage"]!.AsArray().Count >= 3)
            return (await api.RegisterAsync(Requests.Deployment(name: $"Support assistant {tag}", displaysAttribution: false)),
                    await api.RegisterAsync(Requests.Deployment(name: $"US analytics {tag}", regions: ["us-east-1"])), tag);
        await api.PutAsync("/company", "admin", new { name = "Acme GmbH", domicile = "DE" }, "Ada Admin");
        foreach (var (month, users, revenue) in new[] { ("2024-04", 9_000_000L, 3_800_000m), ("2024-05", 11_000_000L, 4_100_000m), ("2024-06", 12_000_000L, 4_500_000m) })
            await api.PostAsync("/company/usage", "admin", new { month, monthlyActiveUsers = users, monthlyRevenueUsd = revenue }, "Ada Admin");
        var conditional = await api.RegisterAsync(Requests.Deployment(name: $"Support assistant {tag}", displaysAttribution: false));
        var blocked = await api.RegisterAsync(Requests.Deployment(name: $"US analytics {tag}", regions: ["us-east-1"]));
        return (conditional, blocked, tag);
    }
}
