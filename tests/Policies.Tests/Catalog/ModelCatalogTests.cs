using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Catalog;

public sealed class ModelCatalogTests
{
    private const string Valid = """
        family: Acme
        developer: Acme AI
        origin: US
        license: apache-2.0
        modality: text
        architecture: dense decoder-only transformer
        source: https://example.com/acme
        models:
          - repo: acme/Acme-7B
            releaseDate: 2025-01-15
            parameters: 7
          - repo: acme/Acme-7B-Instruct
            releaseDate: 2025-02-01
            parameters: 7
            baseModels: [acme/Acme-7B]
            aliases: [acme/acme-7b-chat]
        """;

    private static ModelCatalog Parse(params (string File, string Yaml)[] files) =>
        ModelCatalog.Parse(files.Select(f => new CatalogSource(f.File, f.Yaml)), TestCatalog.Instance);

    private static IReadOnlyList<CatalogError> Errors(params (string File, string Yaml)[] files) =>
        Assert.Throws<CatalogException>(() => Parse(files)).Errors;

    [Fact]
    public void the_repository_model_catalog_parses_and_covers_the_families_a_company_meets_in_2026()
    {
        var families = TestCatalog.Models.Models.Select(m => m.Family).ToHashSet();

        foreach (var family in new[] { "Llama 2", "Llama 3", "Llama 3.1", "Llama 3.2", "Llama 3.3", "Llama 4", "Mistral", "Qwen", "DeepSeek",
                     "Gemma", "Phi-4", "Command R / Command A / Aya", "gpt-oss", "Grok", "Kimi", "Falcon", "GLM", "MiniMax", "Nemotron",
                     "OLMo", "Granite" })
            Assert.Contains(family, families);
        Assert.True(TestCatalog.Models.Models.Count >= 100, $"{TestCatalog.Models.Models.Count} models");
        Assert.Matches("^sha256:[0-9a-f]{16}$", TestCatalog.Models.Version);
    }

    [Fact]
    public void every_catalogued_model_names_a_catalogued_license_a_source_and_resolvable_base_models()
    {
        Assert.All(TestCatalog.Models.Models, m =>
        {
            Assert.All(m.LicenseIds, id => Assert.NotNull(TestCatalog.Instance.Find(id)));
            Assert.Equal("https", m.Source.Scheme);
            Assert.All(m.BaseModels, b => Assert.NotNull(TestCatalog.Models.Find(b)));
            Assert.True(Countries.IsCountry(m.Origin), m.Repo);
        });
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "llama3.1", "2024-07-23", Modality.Text)]
    [InlineData("meta-llama/Llama-3.2-11B-Vision-Instruct", "llama3.2", "2024-09-25", Modality.Multimodal)]
    [InlineData("meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama4", "2025-04-05", Modality.Multimodal)]
    [InlineData("meta-llama/Llama-4-Maverick-17B-128E-Instruct", "llama4", "2025-04-05", Modality.Multimodal)]
    [InlineData("google/gemma-3-27b-it", "gemma", "2025-03-12", Modality.Multimodal)]
    [InlineData("google/gemma-4-31B-it", "apache-2.0", "2026-03-31", Modality.Multimodal)]
    [InlineData("Qwen/Qwen3-8B", "apache-2.0", "2025-04-29", Modality.Text)]
    [InlineData("Qwen/Qwen2.5-3B-Instruct", "qwen-research", "2024-09-19", Modality.Text)]
    [InlineData("mistralai/Mistral-Large-Instruct-2407", "mrl", "2024-07-24", Modality.Text)]
    [InlineData("mistralai/Mistral-Large-3-675B-Instruct-2512", "apache-2.0", "2025-12-02", Modality.Multimodal)]
    [InlineData("deepseek-ai/DeepSeek-V3", "deepseek", "2024-12-26", Modality.Text)]
    [InlineData("deepseek-ai/DeepSeek-R1", "mit", "2025-01-20", Modality.Text)]
    [InlineData("openai/gpt-oss-120b", "apache-2.0", "2025-08-05", Modality.Text)]
    [InlineData("moonshotai/Kimi-K3", "kimi-k3", "2026-07-27", Modality.Multimodal)]
    [InlineData("zai-org/GLM-5.3", "glm-5.3", "2026-08-25", Modality.Text)]
    public void a_model_is_found_by_its_repository_id_with_its_license_date_and_modality(string repo, string license, string date, Modality modality)
    {
        var model = TestCatalog.Model(repo);

        Assert.Equal(license, model.LicenseId);
        Assert.Equal(DateOnly.Parse(date), model.ReleaseDate);
        Assert.Equal(modality, model.Modality);
    }

    [Theory]
    [InlineData("meta-llama/Meta-Llama-3.1-8B-Instruct")]
    [InlineData("META-LLAMA/llama-3.1-8b-instruct")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/")]
    public void a_repository_id_is_found_however_it_is_cased_linked_or_renamed(string written)
    {
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", TestCatalog.Models.Find(written)?.Repo);
    }

    [Fact]
    public void a_name_two_catalogued_models_share_finds_neither()
    {
        var twins = Parse(("acme.yaml", Valid), ("other.yaml", Valid.Replace("acme/", "other/")));

        Assert.Null(twins.FindByName("Acme 7B"));
        Assert.Equal("other/Acme-7B", twins.FindByName("other/Acme-7B")?.Repo);
        Assert.Equal("acme/Acme-7B", Parse(("acme.yaml", Valid)).FindByName("Acme 7B")?.Repo);
    }

    [Fact]
    public void family_values_are_defaults_that_a_model_may_override()
    {
        var catalog = Parse(("acme.yaml", Valid.Replace("    baseModels: [acme/Acme-7B]", "    baseModels: [acme/Acme-7B]\n    license: mit\n    modality: multimodal")));

        var instruct = catalog.Find("acme/Acme-7B-Instruct")!;
        Assert.Equal("mit", instruct.LicenseId);
        Assert.Equal(Modality.Multimodal, instruct.Modality);
        Assert.Equal("apache-2.0", catalog.Find("acme/Acme-7B")!.LicenseId);
        Assert.Equal(Confidence.Verified, instruct.Confidence);
        Assert.Equal("acme/Acme-7B-Instruct", catalog.Find("acme/acme-7b-chat")!.Repo);
    }

    [Fact]
    public void a_license_the_license_catalog_does_not_hold_is_rejected_naming_the_model()
    {
        var error = Assert.Single(Errors(("acme.yaml", Valid.Replace("license: apache-2.0", "license: acme-community"))), e => e.Problem.Contains("models[0]"));

        Assert.Equal("acme.yaml", error.File);
        Assert.Equal("models[0] (acme/Acme-7B) names license 'acme-community', which the license catalog does not hold", error.Problem);
    }

    [Fact]
    public void a_base_model_the_catalog_does_not_hold_is_rejected_so_a_lineage_is_never_silently_cut()
    {
        var error = Assert.Single(Errors(("acme.yaml", Valid.Replace("baseModels: [acme/Acme-7B]", "baseModels: [acme/Acme-6B]"))));

        Assert.Equal("model 'acme/Acme-7B-Instruct' names base model 'acme/Acme-6B', which the catalog does not hold", error.Problem);
    }

    [Fact]
    public void a_model_that_is_its_own_ancestor_is_rejected()
    {
        var cyclic = Valid.Replace("    parameters: 7\n  - repo: acme/Acme-7B-Instruct", "    parameters: 7\n    baseModels: [acme/Acme-7B-Instruct]\n  - repo: acme/Acme-7B-Instruct");

        var errors = Errors(("acme.yaml", cyclic));

        Assert.Contains(errors, e => e.Problem == "model 'acme/Acme-7B' is its own ancestor through its base models");
    }

    [Fact]
    public void the_same_repository_in_two_files_is_rejected_naming_both_files()
    {
        var errors = Errors(("a.yaml", Valid), ("b.yaml", Valid));

        Assert.Contains(errors, e => e.File == "a.yaml, b.yaml" && e.Problem == "model 'acme/Acme-7B' is defined more than once");
    }

    [Theory]
    [InlineData("releaseDate: 2025-01-15", "releaseDate: 15/01/2025", "'models[0].releaseDate' has '15/01/2025', expected a date in the form YYYY-MM-DD")]
    [InlineData("repo: acme/Acme-7B\n", "repo: Acme 7B\n", "models[0].repo 'Acme 7B' is not a repository id such as 'meta-llama/Llama-3.1-8B-Instruct'")]
    [InlineData("modality: text", "modality: vision", "'models[0].modality' has 'vision', expected one of text, multimodal")]
    [InlineData("origin: US", "origin: USA", "models[0].origin 'USA' is not an ISO 3166-1 alpha-2 code")]
    public void a_malformed_fact_is_rejected_naming_the_field(string from, string to, string problem)
    {
        Assert.Contains(Errors(("acme.yaml", Valid.Replace(from, to))), e => e.File == "acme.yaml" && e.Problem == problem);
    }

    [Fact]
    public void the_model_catalog_version_is_a_digest_of_its_files()
    {
        var a = Parse(("acme.yaml", Valid)).Version;
        var b = Parse(("acme.yaml", Valid.Replace("\n", "\r\n"))).Version;
        var c = Parse(("acme.yaml", Valid.Replace("parameters: 7\n  - repo", "parameters: 7.2\n  - repo"))).Version;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void declaring_a_catalogued_model_fills_undeclared_facts_from_the_catalog_and_keeps_declared_ones()
    {
        var scout = TestCatalog.Model("meta-llama/Llama-4-Scout-17B-16E-Instruct");

        var filled = scout.Declare(new string('a', 64));
        var typed = scout.Declare(new string('a', 64), modality: Modality.Text, name: "scout");

        Assert.Equal(("Llama-4-Scout-17B-16E-Instruct", "llama4", new DateOnly(2025, 4, 5), "US", Modality.Multimodal, "meta-llama/Llama-4-Scout-17B-16E-Instruct"),
            (filled.Name, filled.LicenseId, filled.ReleaseDate, filled.Origin, filled.Modality, filled.Repo));
        Assert.Equal((Modality.Text, "scout"), (typed.Modality, typed.Name));
    }
}
