using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// The cases the 2026 review of the evaluator found wrong, each named after the case and settled by the license text
/// (shared/reference/licenses-2026.md, §2 and §3).
/// </summary>
public sealed class LicenseSemanticsTests
{
    // D1: "If, on the Llama 3.1 version release date, ... in the preceding calendar month".

    [Fact]
    public void a_llama_3_1_fine_tune_released_in_2026_is_measured_in_june_2024_not_in_the_month_before_its_own_date()
    {
        var fineTune = Scenario.For("llama3.1").ReleasedOn(2026, 6, 1).WithFigures(
            new MonthlyFigures(new YearMonth(2024, 6), 750_000_000, 0m),
            new MonthlyFigures(new YearMonth(2026, 5), 10_000_000, 0m));

        var finding = fineTune.Evaluate().Single(FindingCodes.MauThresholdExceeded);

        Assert.Equal("2024-06", finding.Facts["measuredMonth"]);
        Assert.Equal("2024-07-23", finding.Facts["anchorDate"]);
        Assert.Equal("the Llama 3.1 Community License Agreement version release date named in the license", finding.Facts["anchor"]);
        Assert.Equal("750,000,000", finding.Facts["measured"]);
    }

    [Fact]
    public void a_group_that_crossed_700M_after_the_version_date_keeps_its_llama_3_1_rights_for_a_fine_tune()
    {
        var a = Scenario.For("llama3.1").ReleasedOn(2026, 6, 1).WithFigures(
            new MonthlyFigures(new YearMonth(2024, 6), 650_000_000, 0m),
            new MonthlyFigures(new YearMonth(2026, 5), 900_000_000, 0m)).Evaluate();

        a.AssertNo(FindingCodes.MauThresholdExceeded);
        Assert.Contains("2024-06", a.Single(FindingCodes.ThresholdWithinLimit).Facts["measured"]);
    }

    [Fact]
    public void the_llama_3_2_quantized_point_release_of_october_2024_is_measured_in_august_2024()
    {
        var quantized = new Scenario().Registered("meta-llama/Llama-3.2-1B-Instruct-QLORA_INT4_EO8").WithFigures(
            new MonthlyFigures(new YearMonth(2024, 8), 750_000_000, 0m),
            new MonthlyFigures(new YearMonth(2024, 9), 10_000_000, 0m));

        var finding = quantized.Evaluate().Single(FindingCodes.MauThresholdExceeded);

        Assert.Equal(new DateOnly(2024, 10, 24), TestCatalog.Model("meta-llama/Llama-3.2-1B-Instruct-QLORA_INT4_EO8").ReleaseDate);
        Assert.Equal("2024-08", finding.Facts["measuredMonth"]);
    }

    [Fact]
    public void a_license_without_a_version_date_is_anchored_to_the_release_of_the_catalogued_model_that_carries_it()
    {
        // Hunyuan-Large's copy of the Tencent Hunyuan license; a fine-tune of it released in 2026.
        var fineTune = Scenario.For("tencent-hunyuan-community").ReleasedOn(2026, 3, 1)
            .WithModel(m => m with { IsDerivative = true, BaseModels = ["tencent/Tencent-Hunyuan-Large"] }).WithModelCatalog()
            .WithFigures(new MonthlyFigures(new YearMonth(2024, 10), 150_000_000, 0m));

        var finding = fineTune.Evaluate().Single(FindingCodes.MauThresholdExceeded);

        Assert.Equal("2024-10", finding.Facts["measuredMonth"]);
        Assert.Equal("the release date of tencent/Tencent-Hunyuan-Large, which carries the license", finding.Facts["anchor"]);
    }

    // D3: "With respect to any multimodal models included in Llama 4 ... if you are ... a company with a principal place
    // of business in, the European Union. This restriction does not apply to end users".

    [Fact]
    public void llama_4_scout_registered_as_text_is_still_multimodal_for_an_eu_licensee()
    {
        var scout = new Scenario().Registered("meta-llama/Llama-4-Scout-17B-16E-Instruct", m => m with { Modality = Modality.Text }).WithDomicile("DE");

        var a = scout.Evaluate();

        var finding = a.Single(FindingCodes.GeographicRestriction);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("llama4#aup-multimodal-eu", finding.ClauseId);
        Assert.Equal("per the model catalog", finding.Facts["modalitySource"]);
        Assert.Equal("text", a.Single(FindingCodes.ModelFactsMismatch).Facts["declared"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void an_uncatalogued_llama_4_model_declared_as_text_stays_open_for_an_eu_licensee_once_the_catalog_is_in_use()
    {
        var declared = Scenario.For("llama4").WithModel(m => m with { Name = "acme-llama4-text-only" }).WithDomicile("FR").WithModelCatalog();

        var finding = declared.Evaluate().Single(FindingCodes.GeographicRestriction);

        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("declared, not in the model catalog", finding.Facts["modalitySource"]);
    }

    [Theory]
    [InlineData("NO")]
    [InlineData("IS")]
    [InlineData("LI")]
    [InlineData("CH")]
    public void norway_iceland_liechtenstein_and_switzerland_are_not_in_the_eu_exclusion(string domicile)
    {
        new Scenario().Registered("meta-llama/Llama-4-Maverick-17B-128E-Instruct").WithDomicile(domicile).Evaluate()
            .AssertNo(FindingCodes.GeographicRestriction);
    }

    [Theory]
    [InlineData("CZ", true)]
    [InlineData("CH", false)]
    [InlineData("NL", true)]
    [InlineData("NO", false)]
    public void one_letter_of_the_domicile_moves_a_company_in_or_out_of_the_eu_exclusion(string domicile, bool excluded)
    {
        var a = new Scenario().Registered("meta-llama/Llama-3.2-11B-Vision-Instruct").WithDomicile(domicile).Evaluate();

        Assert.Equal(excluded, a.Has(FindingCodes.GeographicRestriction, Severity.Blocking));
    }

    [Fact]
    public void the_eu_exclusion_turns_on_the_licensees_domicile_not_on_regions_or_end_users()
    {
        var usCompanyServingTheEu = new Scenario().Registered("meta-llama/Llama-4-Scout-17B-16E-Instruct").WithDomicile("US")
            .WithUsage(u => u with { Regions = ["eu-west-1", "eu-central-1"], UserCountries = ["DE", "FR", "IT"] });

        usCompanyServingTheEu.Evaluate().AssertNo(FindingCodes.GeographicRestriction);
    }

    // D5: MNPL §3.2 and the MRL's definition of Research Purposes.

    [Fact]
    public void a_commercial_company_may_evaluate_codestral_in_a_sandbox_under_the_mnpl()
    {
        var a = new Scenario().Registered("mistralai/Codestral-22B-v0.1")
            .WithUsage(u => u with { Commercial = true, Purpose = Purpose.Evaluation, Hosting = Hosting.Internal }).Evaluate();

        a.AssertNo(FindingCodes.NonCommercialLicense);
    }

    [Theory]
    [InlineData(Hosting.Saas)]
    [InlineData(Hosting.Redistributed)]
    public void supplying_codestral_to_others_in_a_commercial_activity_is_not_licensed_even_for_evaluation(Hosting hosting)
    {
        var a = new Scenario().Registered("mistralai/Codestral-22B-v0.1")
            .WithUsage(u => u with { Commercial = false, Purpose = Purpose.Evaluation, Hosting = hosting }).Evaluate();

        var finding = a.Single(FindingCodes.NonCommercialLicense);
        Assert.Equal("mnpl#usage-limitation-non-production", finding.ClauseId);
        Assert.Equal("true", finding.Facts["commercialEntity"]);
    }

    [Fact]
    public void a_university_may_share_an_mnpl_model_for_research()
    {
        var a = new Scenario().Registered("mistralai/Codestral-22B-v0.1").WithCompany(c => c with { CommercialEntity = false })
            .WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Redistributed }).Evaluate();

        a.AssertNo(FindingCodes.NonCommercialLicense);
    }

    [Fact]
    public void a_free_saas_by_a_commercial_entity_is_excluded_from_mrl_research_purposes()
    {
        var free = new Scenario().Registered("mistralai/Mistral-Large-Instruct-2407")
            .WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Saas });

        var finding = free.Evaluate().Single(FindingCodes.NonCommercialLicense);
        Assert.Equal("mrl#3.2-research-only", finding.ClauseId);
        Assert.Contains("no distribution by a commercial entity, paid or free, SaaS included", finding.Message);

        // The same research service run by a non-commercial entity is research.
        (free.WithCompany(c => c with { CommercialEntity = false })).Evaluate().AssertNo(FindingCodes.NonCommercialLicense);
    }

    [Fact]
    public void a_companys_staff_using_an_mrl_model_in_their_daily_tasks_is_not_research()
    {
        var daily = new Scenario().Registered("mistralai/Mistral-Large-Instruct-2407")
            .WithUsage(u => u with { Commercial = false, Purpose = Purpose.Production, Hosting = Hosting.Internal });

        Assert.Equal(Severity.Blocking, daily.Evaluate().Single(FindingCodes.NonCommercialLicense).Severity);
    }

    // D6: "your product or service has more than 100 million monthly active users".

    [Theory]
    [InlineData("tongyi-qianwen", "tongyi-qianwen#4-commercial-100m-mau")]
    [InlineData("qwen", "qwen#restrictions-commercial-100m-mau")]
    [InlineData("kimi-k2-modified-mit", "kimi-k2-modified-mit#modification-branding")]
    [InlineData("kimi-k3", "kimi-k3#3-branding")]
    public void an_undeclared_product_mau_leaves_a_product_threshold_open_rather_than_reading_it_as_zero(string licenseId, string clauseId)
    {
        var a = Scenario.For(licenseId).WithUsage(u => u with { MonthlyActiveUsers = null }).Evaluate();

        var missing = Assert.Single(a.Findings, f => f.ClauseId == clauseId);
        Assert.Equal((FindingCodes.ThresholdFactsMissing, Severity.Obligation), (missing.Code, missing.Severity));
        Assert.Contains("the product's monthly active users, which the deployment does not declare", missing.Facts["missing"]);
        Assert.DoesNotContain(a.Findings, f => f.ClauseId == clauseId && f.Code == FindingCodes.ThresholdWithinLimit);
    }

    [Fact]
    public void a_declared_zero_is_a_figure_and_passes()
    {
        var a = Scenario.For("tongyi-qianwen").WithUsage(u => u with { MonthlyActiveUsers = 0 }).Evaluate();

        Assert.Equal(Severity.Info, a.Single(FindingCodes.ThresholdWithinLimit).Severity);
    }

    // D2: the Gemma Prohibited Use Policy, and Gemma 4's scope.

    [Theory]
    [InlineData("automated-decisions-affecting-rights")]
    [InlineData("automated-adverse-legal-decisions")]
    [InlineData("surveillance")]
    [InlineData("discrimination")]
    [InlineData("personal-data-misuse")]
    [InlineData("self-harm")]
    [InlineData("impersonation")]
    [InlineData("disinformation")]
    [InlineData("undisclosed-machine-generated-content")]
    [InlineData("sensitive-data-inference")]
    [InlineData("defamation")]
    public void a_gemma_3_deployment_in_a_field_the_prohibited_use_policy_lists_is_blocked(string field)
    {
        var a = new Scenario().Registered("google/gemma-3-27b-it").WithUsage(u => u with { FieldsOfUse = [field] }).Evaluate();

        var finding = a.Single(FindingCodes.UseRestriction);
        Assert.Equal("gemma#3.2-prohibited-use", finding.ClauseId);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void gemma_4_is_apache_2_0_and_owes_none_of_the_gemma_terms()
    {
        var a = new Scenario().Registered("google/gemma-4-31B-it").WithUsage(u => u with { FieldsOfUse = ["surveillance"] }).Evaluate();

        Assert.Equal("apache-2.0", TestCatalog.Model("google/gemma-4-31B-it").LicenseId);
        Assert.DoesNotContain(a.Findings, f => f.ClauseId.StartsWith("gemma#", StringComparison.Ordinal));
        a.AssertNo(FindingCodes.UseRestriction);
    }

    // D8: CC BY-NC 4.0 is generic; Cohere's policy and credit belong to Cohere's models.

    [Fact]
    public void a_non_cohere_cc_by_nc_model_gets_neither_cohere_policy_nor_cohere_credit()
    {
        var a = Scenario.For("cc-by-nc-4.0").WithModel(m => m with { Name = "acme-nc-7b" })
            .WithUsage(u => u with { Commercial = false, Hosting = Hosting.Redistributed, DisplaysAttribution = false, FieldsOfUse = ["surveillance"] }).Evaluate();

        a.AssertNo(FindingCodes.UseRestriction);
        var credit = a.Single(FindingCodes.AttributionRequired);
        Assert.Equal("cc-by-nc-4.0#3a-attribution", credit.ClauseId);
        Assert.DoesNotContain("Cohere", credit.Facts["text"]);
    }

    [Fact]
    public void command_r_registered_by_repository_carries_the_c4ai_acceptable_use_policy()
    {
        var a = new Scenario().Registered("CohereForAI/c4ai-command-r-plus")
            .WithUsage(u => u with { Commercial = false, FieldsOfUse = ["surveillance"] }).Evaluate();

        var finding = a.Single(FindingCodes.UseRestriction);
        Assert.Equal("c4ai-acceptable-use#prohibited-uses", finding.ClauseId);
        Assert.Equal("CohereForAI/c4ai-command-r-plus", finding.Facts["inheritedFrom"]);
        a.AssertNo(FindingCodes.LicenseConflict);
    }

    [Fact]
    public void cc_by_nc_attribution_applies_when_the_weights_are_shared_not_for_a_hosted_service()
    {
        var saas = Scenario.For("cc-by-nc-4.0").WithUsage(u => u with { Commercial = false, DisplaysAttribution = false }).Evaluate();

        saas.AssertNo(FindingCodes.AttributionRequired);
    }

    // D4: "include 'Llama 3' at the beginning of any such AI model name"; hub names cannot contain spaces.

    [Theory]
    [InlineData("llama3", "Llama-3-Acme-8B")]
    [InlineData("llama3", "Llama_3 Acme")]
    [InlineData("llama3.1", "llama-3.1-x")]
    [InlineData("llama4", "Llama-4-Acme-Scout")]
    public void a_derivative_name_written_as_the_hub_writes_it_meets_the_llama_naming_rule(string licenseId, string name)
    {
        var a = Scenario.For(licenseId).WithUsage(u => u with { Hosting = Hosting.Redistributed })
            .WithModel(m => m with { IsDerivative = true, DistributedName = name }).Evaluate();

        var finding = a.Single(FindingCodes.DerivativeNaming);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(ModelNames.Reading(name), finding.Facts["readAs"]);
        Assert.Contains("read word by word as", finding.Message);
    }

    [Fact]
    public void a_llama_30b_name_does_not_begin_with_llama_3_and_the_finding_says_how_it_was_read()
    {
        var finding = Scenario.For("llama3").WithUsage(u => u with { Hosting = Hosting.Redistributed })
            .WithModel(m => m with { IsDerivative = true, DistributedName = "Llama-30B-Acme" }).Evaluate().Single(FindingCodes.DerivativeNaming);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains("read word by word as \"llama 30 b acme\" against \"llama 3\"", finding.Message);
    }
}
