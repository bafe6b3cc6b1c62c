using Governance.Scanner.Artifacts;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Tests.Artifacts;

public sealed class ArtifactFindingsTests
{
    private static ModelMetadata File(string? license = null, string? licenseName = null, params BaseModel[] baseModels) =>
        new("llama", "m", null, null, null, 0, null, null, new Dictionary<string, int>(), null, license, licenseName, null, baseModels);

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
    public void a_file_license_that_names_the_declared_license_is_no_finding(string fileLicense, string declared) =>
        Assert.Null(ArtifactFindings.License(declared, File(fileLicense)));

    [Theory]
    [InlineData("llama3.1", "apache-2.0")]
    [InlineData("llama3.1", "llama3.2")]
    [InlineData("qwen-research", "qwen")]
    [InlineData("MIT OR Apache-2.0", "llama3")]
    public void a_file_license_other_than_the_declared_one_is_a_blocking_mismatch(string fileLicense, string declared)
    {
        var finding = ArtifactFindings.License(declared, File(fileLicense));

        Assert.NotNull(finding);
        Assert.Equal(("license-mismatch", "blocking"), (finding.Code, finding.Severity));
        Assert.Equal(declared, finding.Facts["declaredLicenseId"]);
        Assert.Equal(fileLicense, finding.Facts["general.license"]);
    }

    [Fact]
    public void a_file_licensed_as_other_is_compared_by_its_license_name()
    {
        Assert.Null(ArtifactFindings.License("llama3.1", File("other", "llama3.1")));

        var finding = ArtifactFindings.License("apache-2.0", File("other", "llama3.1"));
        Assert.Equal("license-mismatch", finding?.Code);
        Assert.Equal("llama3.1", finding?.Facts["general.license.name"]);
    }

    [Fact]
    public void a_file_with_only_a_license_name_is_compared_by_that_name() =>
        Assert.Equal("license-mismatch", ArtifactFindings.License("mit", File(null, "gemma"))?.Code);

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("other", null)]
    [InlineData("other", " ")]
    public void a_file_that_names_no_license_is_an_info_finding_not_a_mismatch(string? license, string? licenseName)
    {
        var finding = ArtifactFindings.License("llama3.1", File(license, licenseName));

        Assert.NotNull(finding);
        Assert.Equal(("license-undeclared", "info"), (finding.Code, finding.Severity));
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("Llama-3.1-8B-Instruct")]
    [InlineData("llama 3.1 8b instruct")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct")]
    public void a_declared_base_model_matches_the_file_ignoring_case_separators_and_organisation(string declared)
    {
        var file = File("llama3.1", null, new BaseModel("Llama 3.1 8B Instruct", "Meta Llama", "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"));

        Assert.Null(ArtifactFindings.Lineage([declared], file));
    }

    [Fact]
    public void a_base_model_known_only_by_its_repository_matches_by_the_repository_name()
    {
        var file = File("mit", null, new BaseModel(null, null, "https://huggingface.co/deepseek-ai/DeepSeek-R1/"));

        Assert.Null(ArtifactFindings.Lineage(["deepseek-ai/DeepSeek-R1"], file));
    }

    [Fact]
    public void a_file_base_model_the_deployment_does_not_declare_is_a_blocking_lineage_mismatch()
    {
        var file = File("apache-2.0", null,
            new BaseModel("Qwen2.5 7B", "Qwen", "https://huggingface.co/Qwen/Qwen2.5-7B"),
            new BaseModel("Llama 3.1 8B", "Meta Llama", null));

        var finding = ArtifactFindings.Lineage(["Qwen/Qwen2.5-7B"], file);

        Assert.NotNull(finding);
        Assert.Equal(("lineage-mismatch", "blocking"), (finding.Code, finding.Severity));
        Assert.Equal("Meta Llama/Llama 3.1 8B", finding.Facts["undeclaredBaseModels"]);
        Assert.Equal("Qwen/Qwen2.5-7B", finding.Facts["declaredBaseModels"]);
    }

    [Fact]
    public void a_file_naming_a_base_model_when_none_is_declared_is_a_lineage_mismatch() =>
        Assert.Equal("lineage-mismatch", ArtifactFindings.Lineage([], File("mit", null, new BaseModel("Mistral 7B v0.1", null, null)))?.Code);

    [Fact]
    public void a_file_that_names_no_base_model_contradicts_no_declaration() =>
        Assert.Null(ArtifactFindings.Lineage(["meta-llama/Llama-3.1-8B"], File("llama3.1")));

    [Fact]
    public void compare_reports_license_and_lineage_together()
    {
        var file = File("llama3.1", null, new BaseModel("Llama 3.1 8B", null, null));

        var findings = ArtifactFindings.Compare("apache-2.0", ["mistralai/Mistral-7B-v0.1"], file);

        Assert.Equal(["license-mismatch", "lineage-mismatch"], findings.Select(f => f.Code));
    }
}
