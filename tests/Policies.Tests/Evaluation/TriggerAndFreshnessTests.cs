using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>When obligations start, and how fresh the figures behind a threshold must be.</summary>
public sealed class TriggerAndFreshnessTests
{
    [Theory]
    [InlineData("gemma")]
    [InlineData("llama3.1")]
    [InlineData("apache-2.0")]
    public void notice_files_are_owed_with_copies_of_the_weights_not_for_a_hosted_service(string licenseId)
    {
        var saas = Scenario.For(licenseId).Evaluate();
        saas.AssertNo(FindingCodes.NoticeRequired);

        var shipped = Scenario.For(licenseId).WithUsage(u => u with { Hosting = Hosting.Redistributed }).Evaluate();
        Assert.Equal(Severity.Obligation, shipped.Single(FindingCodes.NoticeRequired).Severity);
    }

    [Fact]
    public void a_llama_fine_tune_offered_as_a_service_must_carry_the_llama_prefix()
    {
        var s = Scenario.For("llama3.1").WithModel(m => m with { IsDerivative = true, DistributedName = "Acme-Support-8B" });

        var finding = s.Evaluate().Single(FindingCodes.DerivativeNaming);
        Assert.Equal(Severity.Blocking, finding.Severity);

        var internalOnly = s.WithUsage(u => u with { Hosting = Hosting.Internal }).Evaluate();
        internalOnly.AssertNo(FindingCodes.DerivativeNaming);
    }

    private static License MonthlyRevenueLicense() => LicenseCatalog.Parse([new CatalogSource("monthly.yaml", """
        id: monthly
        name: Monthly Revenue Test License
        licensor: Test
        country: US
        source: https://example.com/monthly
        confidence: verified
        commercial: conditional
        clauses:
          - id: monthly#1-revenue
            title: Revenue cap
            summary: No rights above $20M monthly revenue, for as long as the model is used.
            rule:
              kind: threshold
              conditions: [{ metric: monthly_revenue_usd, scope: company, limit: 20000000 }]
              timing: continuous
              consequence: no_rights
        """)]).Find("monthly")!;

    [Fact]
    public void an_ongoing_threshold_does_not_pass_on_figures_older_than_three_months()
    {
        // Company monthly revenue, measured continuously. The only figure is from early 2025.
        var s = Scenario.For("apache-2.0") with { License = MonthlyRevenueLicense() };
        var stale = s.WithFigures(new MonthlyFigures(new YearMonth(2025, 1), 1_000, 1_000_000m)).Evaluate();
        var missing = stale.Single(FindingCodes.ThresholdFactsMissing);
        Assert.Contains("2025-01", missing.Message);
        stale.AssertNo(FindingCodes.ThresholdWithinLimit);

        var fresh = s.WithFigures(new MonthlyFigures(new YearMonth(2026, 9), 1_000, 1_000_000m)).Evaluate();
        Assert.Contains("2026-09", fresh.Single(FindingCodes.ThresholdWithinLimit).Message);
    }

    private static License AnnualRevenueLicense() => LicenseCatalog.Parse([new CatalogSource("annual.yaml", """
        id: annual
        name: Annual Revenue Test License
        licensor: Test
        country: US
        source: https://example.com/annual
        confidence: verified
        commercial: conditional
        clauses:
          - id: annual#1-revenue
            title: Revenue cap
            summary: No rights above $100M annual revenue.
            rule:
              kind: threshold
              conditions: [{ metric: annual_revenue_usd, scope: company, limit: 100000000 }]
              timing: continuous
              consequence: no_rights
        """)]).Find("annual")!;

    [Fact]
    public void annual_revenue_needs_twelve_months_unless_fewer_already_exceed_the_limit()
    {
        var license = AnnualRevenueLicense();
        MonthlyFigures M(int month, decimal revenue) => new(new YearMonth(2026, month), 0, revenue);

        var partialBelow = (Scenario.For("apache-2.0") with { License = license }).WithFigures(M(9, 5_000_000m), M(10, 5_000_000m)).Evaluate();
        Assert.Contains("2 of 12", partialBelow.Single(FindingCodes.ThresholdFactsMissing).Message);

        var partialAbove = (Scenario.For("apache-2.0") with { License = license }).WithFigures(M(9, 60_000_000m), M(10, 60_000_000m)).Evaluate();
        Assert.Equal(Severity.Blocking, partialAbove.Single(FindingCodes.RevenueThresholdExceeded).Severity);

        var fullYear = (Scenario.For("apache-2.0") with { License = license })
            .WithFigures(Enumerable.Range(0, 12).Select(i => new MonthlyFigures(new YearMonth(2025, 11).Next(i), 0, 1_000_000m)).ToArray()).Evaluate();
        Assert.Contains("12 of 12", fullYear.Single(FindingCodes.ThresholdWithinLimit).Message);
    }
}
