using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class QwenTests
{
    private static Scenario Qwen2_72B(string licenseId = "tongyi-qianwen") => Scenario.For(licenseId)
        .WithModel(m => m with { Name = "Qwen2-72B-Instruct", Origin = "CN", ReleaseDate = new DateOnly(2024, 6, 7) });

    [Fact]
    public void tongyi_qianwen_in_a_commercial_product_with_150M_users_needs_a_license_from_alibaba()
    {
        var a = Qwen2_72B().WithUsage(u => u with { MonthlyActiveUsers = 150_000_000 }).Evaluate();

        var finding = a.Single(FindingCodes.MauThresholdExceeded);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("tongyi-qianwen#4-commercial-100m-mau", finding.ClauseId);
        Assert.Equal("product", finding.Facts["scope"]);
        Assert.Equal("continuous", finding.Facts["timing"]);
        Assert.Equal("150,000,000", finding.Facts["measured"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void tongyi_qianwen_threshold_does_not_apply_to_non_commercial_use()
    {
        var a = Qwen2_72B().WithUsage(u => u with { Commercial = false, MonthlyActiveUsers = 150_000_000 }).Evaluate();

        a.AssertNo(FindingCodes.MauThresholdExceeded);
        a.AssertNo(FindingCodes.ThresholdWithinLimit);
        a.AssertNo(FindingCodes.ThresholdFactsMissing);
    }

    [Fact]
    public void tongyi_qianwen_counts_the_products_users_today_where_llama_counts_the_company_at_release()
    {
        // The company was huge in the month before each release and is small now; the product is large now.
        var company = new[]
        {
            new MonthlyFigures(new YearMonth(2024, 5), 900_000_000, 0m),
            new MonthlyFigures(new YearMonth(2024, 6), 900_000_000, 0m),
            new MonthlyFigures(new YearMonth(2026, 10), 120_000_000, 0m),
        };

        var tongyi = Qwen2_72B().WithFigures(company).WithUsage(u => u with { MonthlyActiveUsers = 120_000_000 }).Evaluate();
        var llama = Scenario.For("llama3.1").WithFigures(company).WithUsage(u => u with { MonthlyActiveUsers = 120_000_000 }).Evaluate();

        // Tongyi Qianwen: today's product users (120M) exceed 100M, whatever the company looked like at release.
        Assert.Equal("tongyi-qianwen#4-commercial-100m-mau", tongyi.Single(FindingCodes.MauThresholdExceeded).ClauseId);
        // Llama: the 2024-06 company snapshot (900M) exceeds 700M, whatever happened since.
        var snapshot = llama.Single(FindingCodes.MauThresholdExceeded);
        Assert.Equal("900,000,000", snapshot.Facts["measured"]);
        Assert.Contains("2024-06", snapshot.Facts["basis"]);

        // Under 100M product users today, Tongyi Qianwen passes even though the company was at 900M at release.
        var small = Qwen2_72B().WithFigures(company).WithUsage(u => u with { MonthlyActiveUsers = 80_000_000 }).Evaluate();
        Assert.Equal(Severity.Info, small.Single(FindingCodes.ThresholdWithinLimit).Severity);
    }

    [Fact]
    public void tongyi_qianwen_prohibits_training_other_models_on_its_outputs()
    {
        var a = Qwen2_72B().WithUsage(u => u with { TrainsOtherModels = true }).Evaluate();

        var finding = a.Single(FindingCodes.OutputTrainingProhibited);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("tongyi-qianwen#5b-outputs", finding.ClauseId);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void redistributing_tongyi_qianwen_requires_its_notice_file()
    {
        var a = Qwen2_72B().WithUsage(u => u with { Hosting = Hosting.Redistributed }).Evaluate();

        var finding = a.Single(FindingCodes.NoticeRequired);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("tongyi-qianwen#3c-notice", finding.ClauseId);
        Assert.StartsWith("Tongyi Qianwen is licensed under the Tongyi Qianwen LICENSE AGREEMENT", finding.Facts["text"]);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }

    [Fact]
    public void the_qwen_license_applies_the_same_100M_test_now_verified_against_its_text()
    {
        var s = Qwen2_72B("qwen").WithModel(m => m with { Name = "Qwen2.5-72B-Instruct" });

        var blocked = s.WithUsage(u => u with { MonthlyActiveUsers = 100_000_001 }).Evaluate().Single(FindingCodes.MauThresholdExceeded);
        var atLimit = s.WithUsage(u => u with { MonthlyActiveUsers = 100_000_000 }).Evaluate();

        Assert.Equal(Severity.Blocking, blocked.Severity);
        Assert.Equal("qwen#restrictions-commercial-100m-mau", blocked.ClauseId);
        Assert.Equal(Confidence.Verified, TestCatalog.Get("qwen").FindClause(blocked.ClauseId)!.Confidence);
        atLimit.AssertNo(FindingCodes.MauThresholdExceeded);
    }

    [Theory]
    [InlineData(Purpose.Research)]
    [InlineData(Purpose.Evaluation)]
    public void qwen_research_allows_non_commercial_research_and_evaluation(Purpose purpose)
    {
        var a = Scenario.For("qwen-research").WithModel(m => m with { Name = "Qwen2.5-3B", Origin = "CN" })
            .WithUsage(u => u with { Commercial = false, Purpose = purpose, Hosting = Hosting.Internal }).Evaluate();

        a.AssertNo(FindingCodes.NonCommercialLicense);
        Assert.Equal(Verdict.Compliant, a.Verdict);
    }

    [Fact]
    public void qwen_research_in_a_commercial_product_is_blocked()
    {
        var a = Scenario.For("qwen-research").WithModel(m => m with { Name = "Qwen2.5-3B", Origin = "CN" }).Evaluate();

        var finding = a.Single(FindingCodes.NonCommercialLicense);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("qwen-research#grant-non-commercial-only", finding.ClauseId);
        Assert.Equal("true", finding.Facts["commercial"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }
}
