using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class CatalogGapAndCompanyPolicyTests
{
    [Fact]
    public void a_license_missing_from_the_catalog_blocks_until_it_is_catalogued()
    {
        var a = (new Scenario { License = null })
            .WithModel(m => m with { Name = "acme-llm-7b", LicenseId = "acme-community-1.0" })
            .Evaluate();

        var finding = a.Single(FindingCodes.UnknownLicense);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("catalog#unknown-license", finding.ClauseId);
        Assert.Equal("acme-community-1.0", finding.Facts["licenseId"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void an_unknown_license_waived_by_legal_is_conditional_not_compliant()
    {
        var a = (new Scenario
        {
            License = null,
            Waivers = [new Waiver(FindingCodes.UnknownLicense, Scenario.Today.AddDays(30), "Reviewed by counsel", "Dana Legal")],
        }).WithModel(m => m with { LicenseId = "acme-community-1.0" }).Evaluate();

        Assert.NotNull(a.Single(FindingCodes.UnknownLicense).Waiver);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }

    [Fact]
    public void a_qwen_model_originating_in_china_is_denied_when_the_company_denies_cn_origins()
    {
        var qwen3 = Scenario.For("apache-2.0").WithModel(m => m with { Name = "Qwen3-8B", Origin = "CN" });

        var denied = (qwen3 with { Rules = new CompanyRules([], ["CN"], false) }).Evaluate();

        var finding = denied.Single(FindingCodes.OriginDenied);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("company#denied-origins", finding.ClauseId);
        Assert.Equal("CN", finding.Facts["origin"]);
        Assert.Equal(Verdict.NonCompliant, denied.Verdict);

        // The same model under the default rules, which deny no origin, is not caught.
        qwen3.Evaluate().AssertNo(FindingCodes.OriginDenied);
    }

    [Fact]
    public void a_required_attestation_is_an_obligation_until_a_valid_one_is_on_record()
    {
        var internalApache = Scenario.For("apache-2.0").WithUsage(u => u with { Hosting = Hosting.Internal })
            with { Rules = new CompanyRules([], [], true) };

        var open = internalApache.Evaluate();
        var pending = open.Single(FindingCodes.AttestationRequired);
        Assert.Equal(Severity.Obligation, pending.Severity);
        Assert.Equal("company#attestation-required", pending.ClauseId);
        Assert.Equal(new string('a', 64), pending.Facts["artifactSha256"]);
        Assert.Equal(Verdict.Conditional, open.Verdict);

        var attested = (internalApache with { Attestation = new(true) }).Evaluate();
        var satisfied = attested.Single(FindingCodes.AttestationRequired);
        Assert.Equal(Severity.Info, satisfied.Severity);
        Assert.Equal(Verdict.Compliant, attested.Verdict);
    }
}
