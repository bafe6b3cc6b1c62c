using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// The 2026 model-as-a-service and AI-work-assistant gates (Kimi K3 §2, Qwen3.8-Max §2, Qwen Community License §2,
/// GLM-5.3 clause 2): who conducts the business, the group's revenue over any twelve consecutive months, and the
/// exemptions the licenses write in.
/// </summary>
public sealed class BusinessGateTests
{
    private static MonthlyFigures[] Months(int fromYear, int fromMonth, int count, decimal monthly) =>
        Enumerable.Range(0, count).Select(i => new MonthlyFigures(new YearMonth(fromYear, fromMonth).Next(i), 1_000, monthly)).ToArray();

    private static Scenario KimiK3 => new Scenario().Registered("moonshotai/Kimi-K3")
        .WithDomicile("US").WithUsage(u => u with { Regions = ["us-east-1"], MonthlyActiveUsers = 10_000, MonthlyRevenueUsd = 10_000m });

    private static Scenario Maas(Scenario s) => s.WithCompany(c => c with { Businesses = [BusinessActivity.ModelAsAService] });

    [Fact]
    public void a_model_as_a_service_business_above_20M_over_twelve_months_needs_a_separate_agreement_with_moonshot()
    {
        var a = Maas(KimiK3).WithFigures(Months(2025, 11, 12, 2_000_000m)).Evaluate();

        var finding = a.Single(FindingCodes.BusinessGate);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("kimi-k3#2-model-as-a-service", finding.ClauseId);
        Assert.Equal("24,000,000", finding.Facts["measured"]);
        Assert.Equal("company revenue 2025-11..2026-10, 12 of 12 months reported (any twelve consecutive months)", finding.Facts["basis"]);
        Assert.Equal("separate_license_required", finding.Facts["consequence"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void an_earlier_twelve_month_window_above_the_limit_counts_because_any_consecutive_twelve_months_do()
    {
        // $2M a month from 2024-07 to 2025-06, then $0.1M: the latest twelve months are small, but the window ending
        // 2025-08 still adds up to $20.2M, and it is the latest one above the limit.
        var a = Maas(KimiK3).WithFigures([.. Months(2024, 7, 12, 2_000_000m), .. Months(2025, 7, 16, 100_000m)]).Evaluate();

        var finding = a.Single(FindingCodes.BusinessGate);
        Assert.Contains("2024-09..2025-08", finding.Facts["basis"]);
        Assert.Equal("20,200,000", finding.Facts["measured"]);
    }

    [Fact]
    public void a_group_within_the_revenue_limit_is_told_so_with_the_window_that_was_measured()
    {
        var a = Maas(KimiK3).WithFigures(Months(2025, 11, 12, 1_000_000m)).Evaluate();

        a.AssertNo(FindingCodes.BusinessGate);
        var within = Assert.Single(a.Findings, f => f.ClauseId == "kimi-k3#2-model-as-a-service");
        Assert.Equal((FindingCodes.ThresholdWithinLimit, Severity.Info), (within.Code, within.Severity));
    }

    [Fact]
    public void fewer_than_twelve_reported_months_below_the_limit_leave_the_gate_open()
    {
        var a = Maas(KimiK3).WithFigures(Months(2026, 5, 6, 1_000_000m)).Evaluate();

        var open = Assert.Single(a.Findings, f => f.ClauseId == "kimi-k3#2-model-as-a-service");
        Assert.Equal(FindingCodes.ThresholdFactsMissing, open.Code);
        Assert.Contains("6 of 12 months reported", open.Facts["missing"]);
    }

    [Fact]
    public void internal_use_that_makes_nothing_available_to_third_parties_is_exempt()
    {
        var a = Maas(KimiK3).WithUsage(u => u with { Hosting = Hosting.Internal }).WithFigures(Months(2025, 11, 12, 2_000_000m)).Evaluate();

        Assert.DoesNotContain(a.Findings, f => f.ClauseId == "kimi-k3#2-model-as-a-service");
    }

    [Fact]
    public void a_company_that_has_not_declared_its_lines_of_business_cannot_be_cleared()
    {
        var a = KimiK3.WithFigures(Months(2025, 11, 12, 2_000_000m)).Evaluate();

        var open = Assert.Single(a.Findings, f => f.ClauseId == "kimi-k3#2-model-as-a-service");
        Assert.Equal((FindingCodes.ThresholdFactsMissing, Severity.Obligation), (open.Code, open.Severity));
        Assert.Equal("not declared", open.Facts["declaredBusinesses"]);
    }

    [Fact]
    public void a_company_that_declares_no_such_business_is_outside_the_gate()
    {
        var a = KimiK3.WithCompany(c => c with { Businesses = [] }).WithFigures(Months(2025, 11, 12, 2_000_000m)).Evaluate();

        Assert.DoesNotContain(a.Findings, f => f.ClauseId == "kimi-k3#2-model-as-a-service");
    }

    [Fact]
    public void a_deployment_that_offers_the_model_as_an_api_to_others_makes_the_company_a_model_as_a_service_business()
    {
        var a = KimiK3.WithCompany(c => c with { Businesses = [] }).WithUsage(u => u with { OffersModelApi = true })
            .WithFigures(Months(2025, 11, 12, 2_000_000m)).Evaluate();

        var finding = a.Single(FindingCodes.BusinessGate);
        Assert.Contains("this deployment offers the model to third parties as an API", finding.Message);
    }

    [Fact]
    public void the_ai_work_assistant_business_is_gated_by_qwen3_8_max_above_50M()
    {
        var max = new Scenario().Registered("Qwen/Qwen3.8-2.4T-A95B").WithCompany(c => c with { Businesses = [BusinessActivity.AiWorkAssistant] });

        max.WithFigures(Months(2025, 11, 12, 4_000_000m)).Evaluate().AssertNo(FindingCodes.BusinessGate);
        Assert.Equal("qwen3.8-max#2-maas-and-ai-work-assistant",
            max.WithFigures(Months(2025, 11, 12, 4_500_000m)).Evaluate().Single(FindingCodes.BusinessGate).ClauseId);
    }

    [Fact]
    public void the_qwen_community_license_gates_any_such_business_whatever_its_size()
    {
        var a = new Scenario().Registered("Qwen/Qwen3.8-Flash-Next").WithCompany(c => c with { Businesses = [BusinessActivity.AiWorkAssistant] })
            .WithFigures(Months(2026, 10, 1, 1_000m)).Evaluate();

        var finding = a.Single(FindingCodes.BusinessGate);
        Assert.DoesNotContain("measured", finding.Facts.Keys);
        Assert.Equal("AI work assistant", finding.Facts["conducted"]);
    }

    [Fact]
    public void glm_5_3_asks_a_model_as_a_service_business_above_10_billion_for_a_security_review_even_for_internal_commercial_use()
    {
        var glm = Maas(new Scenario().Registered("zai-org/GLM-5.3")).WithUsage(u => u with { Hosting = Hosting.Internal });

        var finding = glm.WithFigures(Months(2025, 11, 12, 900_000_000m)).Evaluate().Single(FindingCodes.BusinessGate);

        Assert.Equal("security_review_required", finding.Facts["consequence"]);
        Assert.Contains("must pass the licensor's security review", finding.Message);
        glm.WithFigures(Months(2025, 11, 12, 800_000_000m)).Evaluate().AssertNo(FindingCodes.BusinessGate);
    }

    [Fact]
    public void non_commercial_use_is_outside_every_business_gate()
    {
        var a = Maas(KimiK3).WithUsage(u => u with { Commercial = false }).WithFigures(Months(2025, 11, 12, 2_000_000m)).Evaluate();

        Assert.DoesNotContain(a.Findings, f => f.ClauseId == "kimi-k3#2-model-as-a-service");
    }
}
