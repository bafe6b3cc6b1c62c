using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Faults;

/// <summary>
/// On a fresh install the company stream does not exist yet, so concurrent first writes all try to start it. All but
/// one lose that race, and a lost race is a 409 to read again and retry, as on every other stream: never a 500.
/// </summary>
public sealed class FirstWriteRaceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task concurrent_first_writes_to_the_company_on_a_fresh_database_are_200_or_409_never_500()
    {
        const int writers = 24;
        var replies = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => (i % 3) switch
        {
            0 => api.Put("/company", "admin", new { name = $"Acme {i}", domicile = "DE" }),
            1 => api.Post("/company/usage", "admin", new { month = "2026-01", monthlyActiveUsers = 1000 + i, monthlyRevenueUsd = 1_000_000m }),
            _ => api.Put("/company/rules", "legal", new { residency = Array.Empty<object>(), deniedOrigins = new[] { "CN" }, attestationRequired = false }),
        }));

        Assert.All(replies, r => Assert.True(r.Status is 200 or 409, r.ToString()));
        Assert.Contains(replies, r => r.Status == 200);
        Assert.All(replies.Where(r => r.Status == 409), r => Assert.Equal("application/problem+json", r.ContentType));

        // The stream the winners wrote is whole: every write that answered 200 is in it.
        var company = await api.Get("/company", "auditor");
        Assert.True((long)company.Json["company"]!["version"]! >= replies.Count(r => r.Status == 200), company.ToString());
    }
}
