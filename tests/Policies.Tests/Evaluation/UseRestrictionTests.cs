using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class UseRestrictionTests
{
    private static Scenario DeepSeekV2 => Scenario.For("deepseek")
        .WithModel(m => m with { Name = "DeepSeek-V2-Chat", Origin = "CN", ReleaseDate = new DateOnly(2024, 5, 6) });

    [Fact]
    public void deepseek_v2_for_military_use_is_blocked_by_attachment_a()
    {
        var a = DeepSeekV2.WithUsage(u => u with { FieldsOfUse = ["logistics", "military"] }).Evaluate();

        var finding = a.Single(FindingCodes.UseRestriction);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("deepseek#5-use-restrictions", finding.ClauseId);
        Assert.Equal("military", finding.Facts["prohibited"]);
        Assert.StartsWith("DeepSeek License Attachment A prohibits", finding.Message);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void deepseek_v2_for_fully_automated_adverse_legal_decisions_is_blocked()
    {
        var a = DeepSeekV2.WithUsage(u => u with { FieldsOfUse = ["automated-adverse-legal-decisions", "discrimination"] }).Evaluate();

        var finding = a.Single(FindingCodes.UseRestriction);
        Assert.Equal("automated-adverse-legal-decisions, discrimination", finding.Facts["prohibited"]);
    }

    [Fact]
    public void a_deepseek_saas_product_must_pass_attachment_a_on_because_hosting_counts_as_distribution()
    {
        var saas = DeepSeekV2.Evaluate();
        var inHouse = DeepSeekV2.WithUsage(u => u with { Hosting = Hosting.Internal }).Evaluate();

        var finding = saas.Single(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("deepseek#4a-use-restrictions-passdown", finding.ClauseId);
        Assert.Equal(Verdict.Conditional, saas.Verdict);
        inHouse.AssertNo(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal(Verdict.Compliant, inHouse.Verdict);
    }

    [Theory]
    [InlineData("deepseek", "deepseek#1-derivatives-distillation")]
    [InlineData("gemma", "gemma#1.1-model-derivatives")]
    public void a_model_trained_on_deepseek_or_gemma_outputs_inherits_their_use_restrictions(string licenseId, string clauseId)
    {
        var a = Scenario.For(licenseId).WithUsage(u => u with { Hosting = Hosting.Internal, TrainsOtherModels = true }).Evaluate();

        a.AssertNo(FindingCodes.OutputTrainingProhibited);
        var finding = a.Single(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal(clauseId, finding.ClauseId);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }

    [Fact]
    public void bloom_prohibits_medical_advice_but_not_military_use()
    {
        var bloom = Scenario.For("bigscience-bloom-rail-1.0").WithModel(m => m with { Name = "bloom-7b1", Origin = "FR" })
            .WithUsage(u => u with { Hosting = Hosting.Internal });

        var medical = bloom.WithUsage(u => u with { FieldsOfUse = ["medical-advice"] }).Evaluate();
        var military = bloom.WithUsage(u => u with { FieldsOfUse = ["military"] }).Evaluate();

        var finding = medical.Single(FindingCodes.UseRestriction);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("bigscience-bloom-rail-1.0#5-use-restrictions", finding.ClauseId);
        military.AssertNo(FindingCodes.UseRestriction);
        Assert.Equal(Verdict.Compliant, military.Verdict);
    }

    [Fact]
    public void a_bloom_saas_product_must_pass_the_rail_restrictions_on()
    {
        var a = Scenario.For("bigscience-bloom-rail-1.0").Evaluate();

        var finding = a.Single(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal("bigscience-bloom-rail-1.0#4a-use-restrictions-passdown", finding.ClauseId);
        Assert.Equal(Severity.Obligation, finding.Severity);
    }

    [Fact]
    public void a_gemma_saas_product_owes_the_prohibited_use_policy_passdown_and_is_blocked_for_malware()
    {
        var gemma3 = Scenario.For("gemma").WithModel(m => m with { Name = "gemma-3-27b-it" });

        var saas = gemma3.Evaluate();
        var passdown = saas.Single(FindingCodes.UseRestrictionsPassdown);
        Assert.Equal("gemma#3.1-use-restrictions-passdown", passdown.ClauseId);
        Assert.Contains("Prohibited Use Policy", passdown.Message);
        Assert.Equal(Verdict.Conditional, saas.Verdict);

        var malware = gemma3.WithUsage(u => u with { FieldsOfUse = ["malware"] }).Evaluate();
        Assert.Equal("gemma#3.2-prohibited-use", malware.Single(FindingCodes.UseRestriction).ClauseId);
        Assert.Equal(Verdict.NonCompliant, malware.Verdict);
    }

    private static Scenario Falcon180B => Scenario.For("falcon-180b-tii-1.0").WithModel(m => m with { Name = "falcon-180B-chat", Origin = "AE" });

    [Fact]
    public void falcon_180b_offered_to_third_parties_as_an_inference_api_is_hosting_use_and_blocked()
    {
        var api = Falcon180B.WithUsage(u => u with { OffersModelApi = true }).Evaluate();

        var finding = api.Single(FindingCodes.HostingRestricted);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("falcon-180b-tii-1.0#hosting-use", finding.ClauseId);
        Assert.Equal("saas", finding.Facts["hosting"]);
        Assert.Equal("true", finding.Facts["offersModelApi"]);
        Assert.Equal(Verdict.NonCompliant, api.Verdict);
    }

    [Fact]
    public void a_saas_product_that_embeds_falcon_180b_without_exposing_it_is_not_hosting_use()
    {
        var embedded = Falcon180B.WithUsage(u => u with { OffersModelApi = false }).Evaluate();

        var finding = embedded.Single(FindingCodes.HostingRestricted);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.DoesNotContain(embedded.Findings, f => f.Severity == Severity.Blocking);
    }

    [Fact]
    public void a_falcon_180b_saas_product_that_does_not_say_whether_it_exposes_the_model_stays_open()
    {
        var undeclared = Falcon180B.Evaluate();
        var inHouse = Falcon180B.WithUsage(u => u with { Hosting = Hosting.Internal, OffersModelApi = true }).Evaluate();

        Assert.Equal(Severity.Obligation, undeclared.Single(FindingCodes.HostingRestricted).Severity);
        Assert.Equal("not declared", undeclared.Single(FindingCodes.HostingRestricted).Facts["offersModelApi"]);
        // An API for the company's own staff reaches no third party.
        inHouse.AssertNo(FindingCodes.HostingRestricted);
    }

    [Fact]
    public void falcon_180b_redistributed_is_allowed_with_its_attribution_notice_and_policy_passdown()
    {
        var a = Scenario.For("falcon-180b-tii-1.0")
            .WithUsage(u => u with { Hosting = Hosting.Redistributed, DisplaysAttribution = false }).Evaluate();

        a.AssertNo(FindingCodes.HostingRestricted);
        var attribution = a.Single(FindingCodes.AttributionRequired);
        Assert.Equal(Severity.Obligation, attribution.Severity);
        Assert.Contains("built using Falcon LLM technology from the Technology Innovation Institute", attribution.Facts["text"]);
        Assert.Equal("falcon-180b-tii-1.0#redistribution-notice", a.Single(FindingCodes.NoticeRequired).ClauseId);
        Assert.Equal("falcon-180b-tii-1.0#acceptable-use-passdown", a.Single(FindingCodes.UseRestrictionsPassdown).ClauseId);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }
}
