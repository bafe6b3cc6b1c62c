using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class PermissiveLicenseTests
{
    private static Scenario KimiK2 => Scenario.For("kimi-k2-modified-mit")
        .WithModel(m => m with { Name = "Kimi-K2-Instruct", Origin = "CN", ReleaseDate = new DateOnly(2025, 7, 11) });

    private static Scenario ProductRevenue(Scenario s, decimal monthly) => s.WithUsage(u => u with { MonthlyRevenueUsd = monthly });

    [Fact]
    public void kimi_k2_in_a_product_with_25M_monthly_revenue_must_show_kimi_k2()
    {
        var a = ProductRevenue(KimiK2, 25_000_000m).WithUsage(u => u with { DisplaysAttribution = false }).Evaluate();

        var finding = a.Single(FindingCodes.RevenueThresholdExceeded);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("kimi-k2-modified-mit#modification-branding", finding.ClauseId);
        Assert.Equal("product", finding.Facts["scope"]);
        Assert.Contains("the product's monthly revenue", finding.Facts["basis"]);
        Assert.Contains("\"Kimi K2\" must be displayed", finding.Message);
        // Branding is a condition, not a gate.
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }

    [Fact]
    public void kimi_k2_counts_the_products_revenue_not_the_companys()
    {
        // A small product of a large company: the company's $25M a month is not the test.
        var a = ProductRevenue(KimiK2, 1_000_000m)
            .WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 2_500_000, 25_000_000m)).Evaluate();

        a.AssertNo(FindingCodes.RevenueThresholdExceeded);
        var within = a.Single(FindingCodes.ThresholdWithinLimit);
        Assert.Contains("monthly_revenue_usd 1,000,000 ≤ 20,000,000 (the product's monthly revenue", within.Facts["measured"]);
    }

    [Fact]
    public void kimi_k2_at_exactly_20M_product_revenue_and_100M_users_owes_no_branding_one_more_does()
    {
        var atLimit = ProductRevenue(KimiK2, 20_000_000m).WithUsage(u => u with { MonthlyActiveUsers = 100_000_000 }).Evaluate();
        var above = ProductRevenue(KimiK2, 20_000_000.01m).WithUsage(u => u with { MonthlyActiveUsers = 100_000_000 }).Evaluate();

        atLimit.AssertNo(FindingCodes.RevenueThresholdExceeded);
        atLimit.AssertNo(FindingCodes.MauThresholdExceeded);
        Assert.Equal(Severity.Info, atLimit.Single(FindingCodes.ThresholdWithinLimit).Severity);
        Assert.Equal(Severity.Info, above.Single(FindingCodes.RevenueThresholdExceeded).Severity);
    }

    [Fact]
    public void kimi_k2_branding_already_displayed_is_recorded_as_information()
    {
        var a = ProductRevenue(KimiK2, 25_000_000m).WithUsage(u => u with { DisplaysAttribution = true, Hosting = Hosting.Internal }).Evaluate();

        Assert.Equal(Severity.Info, a.Single(FindingCodes.RevenueThresholdExceeded).Severity);
        Assert.Equal(Verdict.Compliant, a.Verdict);
    }

    [Fact]
    public void kimi_k2_in_a_product_with_150M_users_must_show_kimi_k2_too()
    {
        var a = ProductRevenue(KimiK2, 1_000_000m)
            .WithUsage(u => u with { MonthlyActiveUsers = 150_000_000, DisplaysAttribution = false }).Evaluate();

        var finding = a.Single(FindingCodes.MauThresholdExceeded);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("product", finding.Facts["scope"]);
    }

    [Fact]
    public void kimi_k2_below_both_thresholds_or_used_non_commercially_owes_no_branding()
    {
        var small = ProductRevenue(KimiK2, 5_000_000m).Evaluate();
        var nonCommercial = ProductRevenue(KimiK2, 25_000_000m).WithUsage(u => u with { Commercial = false }).Evaluate();

        Assert.Equal(Severity.Info, small.Single(FindingCodes.ThresholdWithinLimit).Severity);
        small.AssertNo(FindingCodes.RevenueThresholdExceeded);
        nonCommercial.AssertNo(FindingCodes.RevenueThresholdExceeded);
        nonCommercial.AssertNo(FindingCodes.ThresholdWithinLimit);
    }

    [Fact]
    public void kimi_k2_without_the_products_revenue_declared_stays_open()
    {
        var a = KimiK2.Evaluate();

        var missing = a.Single(FindingCodes.ThresholdFactsMissing);
        Assert.Contains("the product's monthly revenue, which the deployment does not declare", missing.Facts["missing"]);
        a.AssertNo(FindingCodes.ThresholdWithinLimit);
    }

    [Fact]
    public void an_mit_model_used_internally_is_compliant_and_redistributed_owes_the_notice()
    {
        var r1 = Scenario.For("mit").WithModel(m => m with { Name = "DeepSeek-R1", Origin = "CN" });

        var inHouse = r1.WithUsage(u => u with { Hosting = Hosting.Internal }).Evaluate();
        var shipped = r1.WithUsage(u => u with { Hosting = Hosting.Redistributed }).Evaluate();

        Assert.Empty(inHouse.Findings);
        Assert.Equal(Verdict.Compliant, inHouse.Verdict);
        var notice = shipped.Single(FindingCodes.NoticeRequired);
        Assert.Equal("mit#conditions-notice", notice.ClauseId);
        Assert.Equal(Severity.Obligation, notice.Severity);
        Assert.Equal(Verdict.Conditional, shipped.Verdict);
    }

    [Fact]
    public void an_nvidia_open_model_redistributed_owes_the_nvidia_notice_and_nothing_blocks_it()
    {
        var a = Scenario.For("nvidia-open-model-license").WithModel(m => m with { Name = "Nemotron-4-340B-Instruct" })
            .WithUsage(u => u with { Hosting = Hosting.Redistributed, TrainsOtherModels = true }).Evaluate();

        var notice = a.Single(FindingCodes.NoticeRequired);
        Assert.Equal("nvidia-open-model-license#3.1-notice", notice.ClauseId);
        Assert.Equal("Licensed by NVIDIA Corporation under the NVIDIA Open Model License", notice.Facts["text"]);
        Assert.DoesNotContain(a.Findings, f => f.Severity == Severity.Blocking);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }
}
