using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class LlamaFamilyTests
{
    private static Scenario VisionModel(string licenseId) =>
        Scenario.For(licenseId).WithModel(m => m with { Name = "Llama-3.2-11B-Vision-Instruct", Modality = Modality.Multimodal, ReleaseDate = new DateOnly(2024, 9, 25) });

    public static TheoryData<string, DateOnly> Versions => new()
    {
        { "llama2", new DateOnly(2023, 7, 18) },
        { "llama3", new DateOnly(2024, 4, 18) },
        { "llama3.1", new DateOnly(2024, 7, 23) },
        { "llama3.2", new DateOnly(2024, 9, 25) },
        { "llama3.3", new DateOnly(2024, 12, 6) },
        { "llama4", new DateOnly(2025, 4, 5) },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public void every_llama_version_blocks_a_company_above_700M_users_in_the_month_before_its_release(string licenseId, DateOnly released)
    {
        var snapshot = YearMonth.Of(released).Previous();
        var s = Scenario.For(licenseId).WithModel(m => m with { ReleaseDate = released });

        var blocked = s.WithFigures(new MonthlyFigures(snapshot, 750_000_000, 0m), new MonthlyFigures(new YearMonth(2026, 10), 10_000_000, 0m)).Evaluate();
        var finding = blocked.Single(FindingCodes.MauThresholdExceeded);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal($"{licenseId}#2-additional-commercial-terms", finding.ClauseId);
        Assert.Contains(snapshot.ToString(), finding.Facts["basis"]);
        Assert.Equal("release_snapshot", finding.Facts["timing"]);
        Assert.Equal(Verdict.NonCompliant, blocked.Verdict);

        // Growing past 700M after the release does not matter.
        var grown = s.WithFigures(new MonthlyFigures(snapshot, 650_000_000, 0m), new MonthlyFigures(new YearMonth(2026, 10), 900_000_000, 0m)).Evaluate();
        grown.AssertNo(FindingCodes.MauThresholdExceeded);
        Assert.Equal(Severity.Info, grown.Single(FindingCodes.ThresholdWithinLimit).Severity);
    }

    [Fact]
    public void llama_3_2_vision_for_a_company_domiciled_in_germany_is_blocked_by_the_eu_multimodal_exclusion()
    {
        var a = VisionModel("llama3.2").WithDomicile("DE").Evaluate();

        var finding = a.Single(FindingCodes.GeographicRestriction);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("llama3.2#aup-multimodal-eu", finding.ClauseId);
        Assert.Equal("DE", finding.Facts["domicile"]);
        Assert.Equal("EU", finding.Facts["excludedDomiciles"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void llama_3_2_vision_for_a_company_domiciled_in_the_us_has_no_geographic_finding()
    {
        var a = VisionModel("llama3.2").WithDomicile("US").Evaluate();

        a.AssertNo(FindingCodes.GeographicRestriction);
        Assert.NotEqual(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void the_eu_exclusion_does_not_reach_llama_3_2_text_models()
    {
        var a = Scenario.For("llama3.2").WithModel(m => m with { Name = "Llama-3.2-3B-Instruct", ReleaseDate = new DateOnly(2024, 9, 25) })
            .WithDomicile("FR").Evaluate();

        a.AssertNo(FindingCodes.GeographicRestriction);
    }

    [Fact]
    public void with_no_domicile_on_record_the_eu_exclusion_stays_open_as_an_obligation()
    {
        var a = VisionModel("llama3.2").WithDomicile(null).Evaluate();

        var finding = a.Single(FindingCodes.GeographicRestriction);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Contains("domicile is not on record", finding.Message);
    }

    [Theory]
    [InlineData("llama3.3")]
    [InlineData("llama4")]
    public void later_llama_versions_carry_the_eu_multimodal_exclusion_too(string licenseId)
    {
        var a = VisionModel(licenseId).WithDomicile("IT").Evaluate();

        var finding = a.Single(FindingCodes.GeographicRestriction);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal($"{licenseId}#aup-multimodal-eu", finding.ClauseId);
    }

    [Theory]
    [InlineData("llama2")]
    [InlineData("llama3")]
    [InlineData("llama3.1")]
    public void llama_versions_before_3_2_have_no_geographic_exclusion(string licenseId)
    {
        VisionModel(licenseId).WithDomicile("DE").Evaluate().AssertNo(FindingCodes.GeographicRestriction);
    }

    [Fact]
    public void a_llama_3_1_derivative_redistributed_as_acme_8b_breaks_the_naming_rule()
    {
        var a = Scenario.For("llama3.1").WithUsage(u => u with { Hosting = Hosting.Redistributed })
            .WithModel(m => m with { IsDerivative = true, DistributedName = "Acme-8B" }).Evaluate();

        var finding = a.Single(FindingCodes.DerivativeNaming);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("llama3.1#1b-i-derivative-naming", finding.ClauseId);
        Assert.Equal("Llama", finding.Facts["requiredPrefix"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void a_llama_3_1_derivative_redistributed_as_llama_acme_8b_meets_the_naming_rule()
    {
        var a = Scenario.For("llama3.1").WithUsage(u => u with { Hosting = Hosting.Redistributed })
            .WithModel(m => m with { IsDerivative = true, DistributedName = "Llama-Acme-8B" }).Evaluate();

        var finding = a.Single(FindingCodes.DerivativeNaming);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal("Llama-Acme-8B", finding.Facts["distributedName"]);
        Assert.NotEqual(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void a_llama_3_derivative_must_start_with_llama_3_not_just_llama()
    {
        var s = Scenario.For("llama3").ReleasedOn(2024, 4, 18).WithUsage(u => u with { Hosting = Hosting.Redistributed });

        var wrong = s.WithModel(m => m with { IsDerivative = true, DistributedName = "Llama-Acme-8B" }).Evaluate().Single(FindingCodes.DerivativeNaming);
        var right = s.WithModel(m => m with { IsDerivative = true, DistributedName = "Llama 3 Acme 8B" }).Evaluate().Single(FindingCodes.DerivativeNaming);

        Assert.Equal(Severity.Blocking, wrong.Severity);
        Assert.Equal("llama3#1b-i-derivative-naming", wrong.ClauseId);
        Assert.Equal("Llama 3", wrong.Facts["requiredPrefix"]);
        Assert.Equal(Severity.Info, right.Severity);
    }

    [Fact]
    public void llama_2_has_neither_an_attribution_nor_a_naming_rule()
    {
        var a = Scenario.For("llama2").ReleasedOn(2023, 7, 18)
            .WithUsage(u => u with { Hosting = Hosting.Redistributed, DisplaysAttribution = false })
            .WithModel(m => m with { IsDerivative = true, DistributedName = "Acme-7B" }).Evaluate();

        a.AssertNo(FindingCodes.AttributionRequired);
        a.AssertNo(FindingCodes.DerivativeNaming);
        Assert.Equal("llama2#1b-iii-notice", a.Single(FindingCodes.NoticeRequired).ClauseId);
    }

    [Fact]
    public void llama_3_asks_for_built_with_meta_llama_3_and_3_1_for_built_with_llama()
    {
        var llama3 = Scenario.For("llama3").ReleasedOn(2024, 4, 18).WithUsage(u => u with { DisplaysAttribution = false }).Evaluate();
        var llama31 = Scenario.For("llama3.1").WithUsage(u => u with { DisplaysAttribution = false }).Evaluate();

        Assert.Equal("Built with Meta Llama 3", llama3.Single(FindingCodes.AttributionRequired).Facts["text"]);
        Assert.Equal("Built with Llama", llama31.Single(FindingCodes.AttributionRequired).Facts["text"]);
        Assert.Equal(Severity.Obligation, llama3.Single(FindingCodes.AttributionRequired).Severity);
    }

    [Fact]
    public void attribution_is_not_owed_while_the_model_stays_internal()
    {
        var a = Scenario.For("llama3.1").WithUsage(u => u with { Hosting = Hosting.Internal, DisplaysAttribution = false }).Evaluate();

        a.AssertNo(FindingCodes.AttributionRequired);
        a.AssertNo(FindingCodes.NoticeRequired);
        a.AssertNo(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal(Verdict.Compliant, a.Verdict);
    }

    [Theory]
    [InlineData("llama2", "2023-07-18", "llama2#1b-v-outputs")]
    [InlineData("llama3", "2024-04-18", "llama3#1b-v-outputs")]
    public void llama_2_and_3_prohibit_training_other_models_on_their_outputs(string licenseId, string released, string clauseId)
    {
        var a = Scenario.For(licenseId).WithModel(m => m with { ReleaseDate = DateOnly.Parse(released) })
            .WithUsage(u => u with { TrainsOtherModels = true }).Evaluate();

        var finding = a.Single(FindingCodes.OutputTrainingProhibited);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(clauseId, finding.ClauseId);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Theory]
    [InlineData("llama3.1")]
    [InlineData("llama3.2")]
    [InlineData("llama3.3")]
    [InlineData("llama4")]
    public void llama_3_1_and_later_allow_training_on_outputs_if_the_trained_model_carries_the_llama_name(string licenseId)
    {
        var a = Scenario.For(licenseId).WithUsage(u => u with { TrainsOtherModels = true }).Evaluate();

        a.AssertNo(FindingCodes.OutputTrainingProhibited);
        var finding = Assert.Single(a.Findings, f => f.ClauseId == $"{licenseId}#1b-i-outputs");
        Assert.Equal(FindingCodes.DerivativeNaming, finding.Code);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("Llama", finding.Facts["requiredPrefix"]);
    }

    [Fact]
    public void military_use_of_llama_3_1_is_blocked_by_the_acceptable_use_policy()
    {
        var a = Scenario.For("llama3.1").WithUsage(u => u with { FieldsOfUse = ["logistics", "Military"] }).Evaluate();

        var finding = a.Single(FindingCodes.UseRestriction);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("llama3.1#1b-iv-acceptable-use", finding.ClauseId);
        Assert.Equal("Military", finding.Facts["prohibited"]);
        Assert.StartsWith("The Llama 3.1 Acceptable Use Policy prohibits", finding.Message);
    }

    [Fact]
    public void a_saas_product_on_llama_3_3_must_pass_the_acceptable_use_policy_on_to_its_users()
    {
        var a = Scenario.For("llama3.3").ReleasedOn(2024, 12, 6).Evaluate();

        var finding = a.Single(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("llama3.3#1b-iv-aup-passdown", finding.ClauseId);
        Assert.Contains("Llama 3.3 Acceptable Use Policy", finding.Message);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }
}
