using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class MistralTests
{
    private static Scenario MistralLarge2 => Scenario.For("mrl")
        .WithModel(m => m with { Name = "Mistral-Large-Instruct-2407", Origin = "FR", ReleaseDate = new DateOnly(2024, 7, 24) });

    private static Scenario Devstral2 => Scenario.For("devstral-2-modified-mit")
        .WithModel(m => m with { Name = "Devstral-2-123B-Instruct-2512", Origin = "FR", ReleaseDate = new DateOnly(2025, 12, 9) })
        .WithUsage(u => u with { Hosting = Hosting.Internal });

    [Fact]
    public void mistral_large_2_for_non_commercial_research_has_no_non_commercial_finding()
    {
        var a = MistralLarge2.WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Internal }).Evaluate();

        a.AssertNo(FindingCodes.NonCommercialLicense);
        Assert.Equal(Verdict.Compliant, a.Verdict);
    }

    [Fact]
    public void mistral_large_2_in_production_is_blocked_whatever_the_company_size()
    {
        // A tiny company: MRL has no revenue threshold, research only means research only.
        var a = MistralLarge2.WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 1_000, 10_000m))
            .WithUsage(u => u with { Purpose = Purpose.Production }).Evaluate();

        var finding = a.Single(FindingCodes.NonCommercialLicense);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("mrl#3.2-research-only", finding.ClauseId);
        Assert.Equal("research_only", finding.Facts["limit"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
        a.AssertNo(FindingCodes.RevenueThresholdExceeded);
    }

    [Fact]
    public void mistral_large_2_evaluated_by_a_company_is_not_research_and_is_blocked()
    {
        var a = MistralLarge2.WithUsage(u => u with { Commercial = false, Purpose = Purpose.Evaluation, Hosting = Hosting.Internal }).Evaluate();

        Assert.Equal(Severity.Blocking, a.Single(FindingCodes.NonCommercialLicense).Severity);
    }

    [Fact]
    public void codestral_under_the_mnpl_may_be_evaluated_but_not_used_in_production()
    {
        var codestral = Scenario.For("mnpl").WithModel(m => m with { Name = "Codestral-22B-v0.1", Origin = "FR" })
            .WithUsage(u => u with { Commercial = false, Hosting = Hosting.Internal });

        var evaluation = codestral.WithUsage(u => u with { Purpose = Purpose.Evaluation }).Evaluate();
        var production = codestral.WithUsage(u => u with { Purpose = Purpose.Production }).Evaluate();

        evaluation.AssertNo(FindingCodes.NonCommercialLicense);
        var finding = production.Single(FindingCodes.NonCommercialLicense);
        Assert.Equal("mnpl#usage-limitation-non-production", finding.ClauseId);
        Assert.Equal("non_production", finding.Facts["limit"]);
        Assert.Equal(Confidence.Secondary, TestCatalog.Get("mnpl").FindClause(finding.ClauseId)!.Confidence);
    }

    [Fact]
    public void redistributing_an_mrl_model_requires_the_mistral_notice()
    {
        var a = MistralLarge2.WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Redistributed }).Evaluate();

        var finding = a.Single(FindingCodes.NoticeRequired);
        Assert.Equal("mrl#2-distribution-notice", finding.ClauseId);
        Assert.Equal("Licensed by Mistral AI under the Mistral AI Research License", finding.Facts["text"]);
    }

    [Fact]
    public void devstral_2_for_a_company_with_25M_monthly_revenue_grants_no_rights()
    {
        var a = Devstral2.WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 3_000_000, 25_000_000m)).Evaluate();

        var finding = a.Single(FindingCodes.RevenueThresholdExceeded);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("devstral-2-modified-mit#modification-revenue-limit", finding.ClauseId);
        Assert.Equal("25,000,000", finding.Facts["measured"]);
        Assert.Equal("20,000,000", finding.Facts["limit"]);
        Assert.Contains("no rights at all", finding.Message);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
        Assert.Equal(Confidence.Secondary, TestCatalog.Get("devstral-2-modified-mit").FindClause(finding.ClauseId)!.Confidence);
    }

    [Fact]
    public void devstral_2_revenue_test_reads_the_preceding_month_and_says_which()
    {
        // Assessed on 22 November 2026: the preceding month is October 2026, whatever else was reported.
        var shrunk = Devstral2.WithFigures(
            new MonthlyFigures(new YearMonth(2025, 11), 3_000_000, 30_000_000m),
            new MonthlyFigures(new YearMonth(2026, 10), 3_000_000, 5_000_000m)).Evaluate();
        shrunk.AssertNo(FindingCodes.RevenueThresholdExceeded);
        var within = shrunk.Single(FindingCodes.ThresholdWithinLimit);
        Assert.Contains("2026-10", within.Facts["measured"]);
        Assert.Equal("2026-10", within.Facts["measuredMonth"]);

        // A month after the assessment date (a forecast) and the current, partial month are not the preceding month.
        var grown = Devstral2.WithFigures(
            new MonthlyFigures(new YearMonth(2025, 11), 3_000_000, 5_000_000m),
            new MonthlyFigures(new YearMonth(2026, 10), 3_000_000, 21_000_000m),
            new MonthlyFigures(new YearMonth(2026, 11), 3_000_000, 1_000_000m),
            new MonthlyFigures(new YearMonth(2026, 12), 3_000_000, 1_000_000m)).Evaluate();
        var finding = grown.Single(FindingCodes.RevenueThresholdExceeded);
        Assert.Contains("company-wide figures for 2026-10, the month preceding the assessment date (2026-11-22)", finding.Facts["basis"]);
        Assert.Equal("preceding_month", finding.Facts["timing"]);
        Assert.Equal("21,000,000", finding.Facts["measured"]);
    }

    [Fact]
    public void devstral_2_with_only_the_current_month_reported_cannot_be_settled()
    {
        var a = Devstral2.WithFigures(new MonthlyFigures(new YearMonth(2026, 11), 3_000_000, 25_000_000m)).Evaluate();

        var missing = a.Single(FindingCodes.ThresholdFactsMissing);
        Assert.Contains("company-wide figures for 2026-10", missing.Message);
        a.AssertNo(FindingCodes.RevenueThresholdExceeded);
    }

    [Fact]
    public void devstral_2_at_exactly_20M_in_the_preceding_month_is_within_the_license()
    {
        var atLimit = Devstral2.WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 3_000_000, 20_000_000m)).Evaluate();
        var above = Devstral2.WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 3_000_000, 20_000_000.01m)).Evaluate();

        atLimit.AssertNo(FindingCodes.RevenueThresholdExceeded);
        Assert.Equal(Severity.Blocking, above.Single(FindingCodes.RevenueThresholdExceeded).Severity);
    }

    [Fact]
    public void devstral_2_without_any_revenue_reported_cannot_be_settled()
    {
        var a = Devstral2.WithFigures().Evaluate();

        var finding = a.Single(FindingCodes.ThresholdFactsMissing);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("devstral-2-modified-mit#modification-revenue-limit", finding.ClauseId);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }
}
