using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>What an attested file says about its license and lineage, judged against what the deployment declares.</summary>
public sealed class ArtifactJudgementTests
{
    private static ArtifactClaims File(string? license = null, string? licenseName = null, params string[] baseModels) =>
        new(license, licenseName, null, baseModels);

    private static Assessment Attested(string declaredLicense, ArtifactClaims file, params string[] declaredBaseModels) =>
        (Scenario.For(declaredLicense).WithModel(m => m with { BaseModels = declaredBaseModels })
            with { Attestation = new AttestationFacts(true, Artifact: file) }).Evaluate();

    [Theory]
    [InlineData("Apache-2.0", "apache-2.0")]
    [InlineData("apache-2.0", "apache-2.0")]
    [InlineData("MIT", "mit")]
    [InlineData("llama3.1", "llama3.1")]
    [InlineData("Llama 3.1 Community License", "llama3.1")]
    [InlineData("Apache License, Version 2.0", "apache-2.0")]
    [InlineData("CC-BY-NC-4.0", "cc-by-nc-4.0")]
    [InlineData("LicenseRef-tongyi-qianwen", "tongyi-qianwen")]
    [InlineData("MIT OR Apache-2.0", "apache-2.0")]
    [InlineData("(Apache-2.0 OR MIT)", "mit")]
    public void a_file_license_that_names_the_declared_license_is_no_finding(string fileLicense, string declared)
    {
        Assert.Null(ArtifactJudgement.License(declared, File(fileLicense)));
        Attested(declared, File(fileLicense)).AssertNo(FindingCodes.LicenseMismatch);
    }

    [Theory]
    [InlineData("llama3.1", "apache-2.0")]
    [InlineData("llama3.1", "llama3.2")]
    [InlineData("qwen-research", "qwen")]
    [InlineData("MIT OR Apache-2.0", "llama3")]
    public void a_file_license_other_than_the_declared_one_is_a_blocking_mismatch(string fileLicense, string declared)
    {
        var a = Attested(declared, File(fileLicense));

        var finding = a.Single(FindingCodes.LicenseMismatch);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(Evaluator.ScanClause, finding.ClauseId);
        Assert.Equal(declared, finding.Facts["declaredLicenseId"]);
        Assert.Equal(fileLicense, finding.Facts["fileLicense"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    /// <summary>Some converters write a whole license text where the id belongs; every assessment records its findings, which quote its start.</summary>
    [Fact]
    public void a_finding_quotes_the_start_of_a_license_text_the_file_gives_for_its_license()
    {
        var text = string.Concat(Enumerable.Repeat("APACHE LICENSE VERSION 2.0 ", 2_000));

        var finding = ArtifactJudgement.License("llama3.1", File(text))!;

        Assert.Equal($"{text[..200]}… (54,000 characters)", finding.Facts["fileLicense"]);
        Assert.Contains($"\"{text[..200]}… (54,000 characters)\"", finding.Message);
        Assert.True(finding.Message.Length < 1_000);
    }

    [Fact]
    public void a_file_licensed_as_other_is_compared_by_its_license_name()
    {
        Assert.Null(ArtifactJudgement.License("llama3.1", File("other", "llama3.1")));

        var finding = ArtifactJudgement.License("apache-2.0", File("other", "llama3.1"));
        Assert.Equal(FindingCodes.LicenseMismatch, finding?.Code);
        Assert.Equal("llama3.1", finding?.Facts["fileLicenseName"]);
    }

    [Fact]
    public void a_file_with_only_a_license_name_is_compared_by_that_name() =>
        Assert.Equal(FindingCodes.LicenseMismatch, ArtifactJudgement.License("mit", File(null, "gemma"))?.Code);

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("other", null)]
    [InlineData("other", " ")]
    public void a_file_that_names_no_license_is_an_info_finding_not_a_mismatch(string? license, string? licenseName)
    {
        var finding = Attested("llama3.1", File(license, licenseName)).Single(FindingCodes.LicenseUndeclared);

        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("Llama-3.1-8B-Instruct")]
    [InlineData("llama 3.1 8b instruct")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct")]
    public void a_declared_base_model_matches_the_file_ignoring_case_separators_and_organisation(string declared) =>
        Assert.Null(ArtifactJudgement.Lineage([declared], File("llama3.1", null, "Meta Llama/Llama 3.1 8B Instruct")));

    [Fact]
    public void a_base_model_known_only_by_its_repository_matches_by_the_repository_name() =>
        Assert.Null(ArtifactJudgement.Lineage(["deepseek-ai/DeepSeek-R1"], File("mit", null, "https://huggingface.co/deepseek-ai/DeepSeek-R1/")));

    [Fact]
    public void a_file_base_model_the_deployment_does_not_declare_is_a_blocking_lineage_mismatch()
    {
        var a = Attested("apache-2.0", File("apache-2.0", null, "Qwen/Qwen2.5 7B", "Meta Llama/Llama 3.1 8B"), "Qwen/Qwen2.5-7B");

        var finding = a.Single(FindingCodes.LineageMismatch);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("Meta Llama/Llama 3.1 8B", finding.Facts["undeclaredBaseModels"]);
        Assert.Equal("Qwen/Qwen2.5-7B", finding.Facts["declaredBaseModels"]);
    }

    [Fact]
    public void a_file_naming_a_base_model_when_none_is_declared_is_a_lineage_mismatch() =>
        Assert.Equal(FindingCodes.LineageMismatch, ArtifactJudgement.Lineage([], File("mit", null, "Mistral 7B v0.1"))?.Code);

    [Fact]
    public void a_file_that_names_no_base_model_contradicts_no_declaration() =>
        Assert.Null(ArtifactJudgement.Lineage(["meta-llama/Llama-3.1-8B"], File("llama3.1")));

    [Fact]
    public void license_and_lineage_are_judged_together()
    {
        var a = Attested("apache-2.0", File("llama3.1", null, "Llama 3.1 8B"), "mistralai/Mistral-7B-v0.1");

        Assert.Equal([FindingCodes.LicenseMismatch, FindingCodes.LineageMismatch],
            a.Findings.Where(f => f.ClauseId == Evaluator.ScanClause).Select(f => f.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void a_license_file_whose_text_is_another_license_than_declared_is_a_mismatch_with_both_pieces_of_evidence()
    {
        var washed = new ArtifactClaims("apache-2.0", null, null, [], [new LicenseFileClaim("LICENSE", "llama3.1", 1.0, MatchesDeclaredText: false)]);

        var finding = Attested("apache-2.0", washed).Single(FindingCodes.LicenseMismatch);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal(("apache-2.0", "llama3.1", "LICENSE", "1.00"),
            (finding.Facts["fileLicense"], finding.Facts["licenseFileIdentifiedAs"], finding.Facts["licenseFile"], finding.Facts["licenseFileSimilarity"]));
        Assert.Contains("LICENSE is the text of llama3.1", finding.Message);
    }

    [Fact]
    public void a_sibling_version_whose_text_reads_as_the_declared_license_is_no_mismatch() =>
        Assert.Null(ArtifactJudgement.License("llama3.1",
            new ArtifactClaims("llama3.1", null, null, [], [new LicenseFileClaim("LICENSE", "llama3.3", 0.96, MatchesDeclaredText: true)])));

    [Fact]
    public void a_license_file_no_catalog_text_resembles_contradicts_nothing() =>
        Assert.Null(ArtifactJudgement.License("mit", new ArtifactClaims("mit", null, null, [], [new LicenseFileClaim("LICENSE", null, 0, false)])));

    [Fact]
    public void a_model_that_names_no_license_but_ships_an_identified_text_is_judged_by_that_text()
    {
        var claims = new ArtifactClaims(null, null, null, [], [new LicenseFileClaim("LICENSE.md", "apache-2.0", 0.99, false)]);
        Assert.Null(ArtifactJudgement.License("apache-2.0", claims));
        Assert.Equal(FindingCodes.LicenseMismatch, ArtifactJudgement.License("mit", claims)?.Code);
    }

    [Fact]
    public void what_a_withdrawn_attestation_said_no_longer_counts() =>
        (Scenario.For("apache-2.0") with { Attestation = new AttestationFacts(false, Artifact: File("llama3.1")) })
            .Evaluate().AssertNo(FindingCodes.LicenseMismatch);
}
