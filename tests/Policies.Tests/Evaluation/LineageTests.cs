using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// Inherited terms: a derivative carries its base model's license whatever license it is published under, every license
/// in the lineage is evaluated, each finding names the license, clause and path it comes from, and a declared license
/// that drops an inherited term is a license conflict.
/// </summary>
public sealed class LineageTests
{
    /// <summary>A company's own fine-tune of Llama 3.1 8B, published under Apache-2.0 and shipped to customers.</summary>
    private static Scenario ApacheFineTuneOfLlama => Scenario.For("apache-2.0")
        .ReleasedOn(2026, 5, 4)
        .WithModel(m => m with { Name = "Acme-Support-8B", IsDerivative = true, BaseModels = ["meta-llama/Llama-3.1-8B"], DistributedName = "Acme-Support-8B" })
        .WithUsage(u => u with { Hosting = Hosting.Redistributed, DisplaysAttribution = false })
        .WithModelCatalog();

    [Fact]
    public void a_llama_3_1_fine_tune_published_under_apache_2_is_still_bound_by_the_llama_terms()
    {
        var a = ApacheFineTuneOfLlama.WithFigures(new MonthlyFigures(new YearMonth(2024, 6), 1_200_000, 0m)).Evaluate();

        var naming = Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-i-derivative-naming");
        Assert.Equal(Severity.Blocking, naming.Severity);
        Assert.Equal(Severity.Obligation, Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-i-attribution").Severity);
        Assert.Equal(Severity.Obligation, Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-iv-aup-passdown").Severity);
        var snapshot = Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#2-additional-commercial-terms");
        Assert.Equal((FindingCodes.ThresholdWithinLimit, "2024-06"), (snapshot.Code, snapshot.Facts["measuredMonth"]));
        // The Apache notice still applies to the Apache-licensed work itself.
        Assert.Single(a.Findings, f => f.ClauseId == "apache-2.0#4d-notice");
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void the_same_fine_tune_renamed_and_shipped_under_the_llama_license_with_its_credit_is_only_conditional()
    {
        var a = ApacheFineTuneOfLlama
            .WithModel(m => m with { LicenseId = "llama3.1", DistributedName = "Llama-Acme-Support-8B" })
            .WithUsage(u => u with { DisplaysAttribution = true })
            .WithFigures(new MonthlyFigures(new YearMonth(2024, 6), 1_200_000, 0m)) with { License = TestCatalog.Get("llama3.1") };

        var assessment = a.Evaluate();

        assessment.AssertNo(FindingCodes.LicenseConflict);
        Assert.Equal(Severity.Info, assessment.Single(FindingCodes.DerivativeNaming).Severity);
        Assert.Equal(Verdict.Conditional, assessment.Verdict);
    }

    [Fact]
    public void every_inherited_finding_names_its_license_the_base_model_and_the_path()
    {
        var a = ApacheFineTuneOfLlama.Evaluate();

        var inherited = a.Findings.Where(f => f.ClauseId.StartsWith("llama3.1#", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(inherited);
        Assert.All(inherited, f =>
        {
            Assert.Equal("llama3.1", f.Facts["licenseId"]);
            Assert.Equal("meta-llama/Llama-3.1-8B", f.Facts["inheritedFrom"]);
            Assert.Equal("Acme-Support-8B → meta-llama/Llama-3.1-8B", f.Facts["inheritedVia"]);
            Assert.StartsWith("Inherited from meta-llama/Llama-3.1-8B", f.Message);
        });
    }

    [Fact]
    public void a_declared_license_that_drops_inherited_terms_is_a_license_conflict_naming_both_licenses_and_the_terms()
    {
        var conflict = ApacheFineTuneOfLlama.Evaluate().Single(FindingCodes.LicenseConflict);

        Assert.Equal(Severity.Blocking, conflict.Severity);
        Assert.Equal(Evaluator.LicenseConflictClausePrefix + "llama3.1", conflict.ClauseId);
        Assert.Equal(("apache-2.0", "llama3.1", "meta-llama/Llama-3.1-8B"),
            (conflict.Facts["declaredLicense"], conflict.Facts["inheritedLicense"], conflict.Facts["inheritedFrom"]));
        Assert.Contains("a user or revenue threshold", conflict.Facts["relaxedTerms"]);
        Assert.Contains("derivative naming", conflict.Facts["relaxedTerms"]);
        Assert.Contains("passing the model on under Apache License 2.0 alone", conflict.Message);
    }

    [Fact]
    public void a_license_conflict_is_an_obligation_while_the_derivative_is_not_passed_on()
    {
        var inHouse = ApacheFineTuneOfLlama.WithUsage(u => u with { Hosting = Hosting.Internal }).Evaluate();

        Assert.Equal(Severity.Obligation, inHouse.Single(FindingCodes.LicenseConflict).Severity);
    }

    [Fact]
    public void a_declared_license_that_keeps_every_inherited_kind_of_term_is_no_conflict()
    {
        // A Llama 3.3 license on a derivative of Llama 3.1 keeps the threshold, naming, attribution and policy terms.
        var a = Scenario.For("llama3.3").WithModel(m => m with { IsDerivative = true, BaseModels = ["meta-llama/Llama-3.1-8B"] })
            .WithModelCatalog().Evaluate();

        a.AssertNo(FindingCodes.LicenseConflict);
        Assert.Contains(a.Findings, f => f.ClauseId == "llama3.1#1b-iv-aup-passdown");
    }

    [Fact]
    public void deepseek_r1_distill_llama_carries_mit_and_the_llama_3_1_terms_its_publisher_acknowledges()
    {
        var a = new Scenario().Registered("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
            .WithUsage(u => u with { Hosting = Hosting.Redistributed, FieldsOfUse = ["military"] }).Evaluate();

        Assert.Single(a.Findings, f => f.ClauseId == "mit#conditions-notice");
        var aup = a.Single(FindingCodes.UseRestriction);
        Assert.Equal("llama3.1#1b-iv-acceptable-use", aup.ClauseId);
        Assert.Equal("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", aup.Facts["inheritedFrom"]);
        Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-iii-notice");
        a.AssertNo(FindingCodes.LicenseConflict);
    }

    [Fact]
    public void the_70b_distillation_carries_the_llama_3_3_terms_of_its_base()
    {
        var a = new Scenario().Registered("deepseek-ai/DeepSeek-R1-Distill-Llama-70B").Evaluate();

        Assert.Contains(a.Findings, f => f.ClauseId == "llama3.3#1b-iv-aup-passdown");
        Assert.DoesNotContain(a.Findings, f => f.ClauseId.StartsWith("llama3.1#", StringComparison.Ordinal));
    }

    [Fact]
    public void a_nemotron_built_on_llama_carries_both_nvidias_and_metas_terms()
    {
        var a = new Scenario().Registered("nvidia/Llama-3.1-Nemotron-Nano-8B-v1")
            .WithUsage(u => u with { Hosting = Hosting.Redistributed, DisplaysAttribution = false }).Evaluate();

        Assert.Single(a.Findings, f => f.ClauseId == "nvidia-open-model-license#3.1-notice");
        Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-iii-notice");
        Assert.Equal(Severity.Obligation, Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-i-attribution").Severity);
        // NVIDIA's card acknowledges the Llama 3.1 license, so the NVIDIA license is not relaxing it.
        a.AssertNo(FindingCodes.LicenseConflict);
    }

    [Fact]
    public void a_license_reached_through_two_paths_is_assessed_once_through_the_nearest()
    {
        // Declared on a model that the catalog also says derives from Llama 3.1 70B Instruct, which derives from Llama 3.1 70B.
        var a = new Scenario().Registered("nvidia/Llama-3.1-Nemotron-70B-Instruct-HF",
            m => m with { BaseModels = ["meta-llama/Llama-3.1-70B"] }).Evaluate();

        var passdowns = a.Findings.Where(f => f.ClauseId == "llama3.1#1b-iv-aup-passdown").ToList();
        Assert.Single(passdowns);
        Assert.Equal("nvidia/Llama-3.1-Nemotron-70B-Instruct-HF", passdowns[0].Facts["inheritedFrom"]);
    }

    [Fact]
    public void a_derivative_of_a_llama_3_2_vision_model_carries_the_eu_exclusion_whatever_it_accepts_itself()
    {
        var textOnly = Scenario.For("apache-2.0").WithModel(m => m with { Modality = Modality.Text, IsDerivative = true,
            BaseModels = ["meta-llama/Llama-3.2-11B-Vision-Instruct"] }).WithDomicile("DE").WithModelCatalog();

        var finding = textOnly.Evaluate().Single(FindingCodes.GeographicRestriction);

        Assert.Equal("llama3.2#aup-multimodal-eu", finding.ClauseId);
        Assert.Equal(Severity.Blocking, finding.Severity);
    }

    [Fact]
    public void a_base_model_the_catalog_does_not_hold_is_reported_instead_of_ignored()
    {
        var a = Scenario.For("apache-2.0").WithModel(m => m with { BaseModels = ["acme/Acme-Base-7B"] }).WithModelCatalog().Evaluate();

        var finding = a.Single(FindingCodes.LineageUnresolved);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("acme/Acme-Base-7B", finding.Facts["model"]);
    }

    [Theory]
    [InlineData("Llama 3.1 8B")]
    [InlineData("Llama-3.1-8B")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B")]
    public void a_base_model_named_as_a_model_file_names_it_is_resolved_when_one_catalogued_model_reads_the_same(string written)
    {
        var a = Scenario.For("apache-2.0").WithModel(m => m with { IsDerivative = true, BaseModels = [written] }).WithModelCatalog().Evaluate();

        a.AssertNo(FindingCodes.LineageUnresolved);
        Assert.Equal("meta-llama/Llama-3.1-8B", a.Single(FindingCodes.LicenseConflict).Facts["inheritedFrom"]);
    }

    [Fact]
    public void a_repository_id_the_catalog_does_not_hold_is_reported_too()
    {
        var a = Scenario.For("apache-2.0").WithModel(m => m with { Repo = "acme/Acme-7B" }).WithModelCatalog().Evaluate();

        Assert.Equal(Evaluator.LineageUnresolvedClausePrefix + "acme/Acme-7B", a.Single(FindingCodes.LineageUnresolved).ClauseId);
    }

    [Fact]
    public void a_company_that_denies_an_origin_is_told_when_a_models_lineage_comes_from_there()
    {
        // A US-published fine-tune of a Qwen model, declared US.
        var a = (Scenario.For("apache-2.0").WithModel(m => m with { Origin = "US", IsDerivative = true, BaseModels = ["Qwen/Qwen2.5-7B-Instruct"] })
            .WithModelCatalog() with { Rules = new CompanyRules([], ["CN"], false) }).Evaluate();

        var finding = a.Single(FindingCodes.OriginDenied);
        Assert.Equal("Qwen/Qwen2.5-7B-Instruct", finding.Facts["ancestor"]);
        Assert.Equal("CN", finding.Facts["ancestorOrigin"]);
    }

    [Fact]
    public void without_the_model_catalog_the_declared_license_is_all_that_is_assessed()
    {
        var a = ApacheFineTuneOfLlama with { UsesModelCatalog = false };

        var findings = a.Evaluate().Findings;

        Assert.DoesNotContain(findings, f => f.ClauseId.StartsWith("llama3.1#", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Code is FindingCodes.LicenseConflict or FindingCodes.LineageUnresolved or FindingCodes.ModelFactsMismatch);
    }

    // Declared facts that contradict the catalog.

    [Fact]
    public void a_declared_release_date_that_contradicts_the_catalog_is_reported_naming_both_and_the_catalog_date_is_used()
    {
        var a = new Scenario().Registered("tencent/Hunyuan-A13B-Instruct", m => m with { ReleaseDate = new DateOnly(2026, 1, 1) })
            .WithDomicile("US").WithUsage(u => u with { Regions = ["us-east-1"], UserCountries = ["US"] })
            .WithFigures(new MonthlyFigures(new YearMonth(2025, 5), 150_000_000, 0m)).Evaluate();

        var mismatch = a.Single(FindingCodes.ModelFactsMismatch);
        Assert.Equal(Severity.Obligation, mismatch.Severity);
        Assert.Equal(("releaseDate", "2026-01-01", "2025-06-27"), (mismatch.Facts["field"], mismatch.Facts["declared"], mismatch.Facts["catalog"]));
        Assert.Equal("2025-05", a.Single(FindingCodes.MauThresholdExceeded).Facts["measuredMonth"]);
    }

    [Fact]
    public void a_declared_license_that_contradicts_the_catalog_is_reported_and_both_licenses_are_assessed()
    {
        var a = new Scenario().Registered("meta-llama/Llama-3.1-8B-Instruct", m => m with { LicenseId = "apache-2.0" })
            .WithUsage(u => u with { Hosting = Hosting.Redistributed }).Evaluate();

        var mismatch = Assert.Single(a.Findings, f => f.ClauseId == Evaluator.ModelFactsClausePrefix + "licenseId");
        Assert.Equal(("apache-2.0", "llama3.1"), (mismatch.Facts["declared"], mismatch.Facts["catalog"]));
        Assert.Single(a.Findings, f => f.ClauseId == "apache-2.0#4d-notice");
        Assert.Single(a.Findings, f => f.ClauseId == "llama3.1#1b-iii-notice");
    }

    [Fact]
    public void a_declared_origin_that_contradicts_the_catalog_is_reported_and_the_company_rule_uses_the_catalog()
    {
        var a = (new Scenario().Registered("Qwen/Qwen3-8B", m => m with { Origin = "US" }) with { Rules = new CompanyRules([], ["CN"], false) }).Evaluate();

        Assert.Equal("origin", a.Single(FindingCodes.ModelFactsMismatch).Facts["field"]);
        Assert.Equal("CN", a.Single(FindingCodes.OriginDenied).Facts["origin"]);
    }

    [Fact]
    public void facts_registered_from_the_catalog_agree_with_it()
    {
        new Scenario().Registered("moonshotai/Kimi-K3").Evaluate().AssertNo(FindingCodes.ModelFactsMismatch);
    }
}
