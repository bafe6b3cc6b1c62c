using System.Text.RegularExpressions;
using Governance.Policies.Catalog;

namespace Governance.Policies.Tests.Catalog;

public sealed class CatalogTests
{
    /// <summary>
    /// The "Catalog ids" section of the license reference (shared/reference/licenses.md), and the 2026 licenses the
    /// review in shared/reference/licenses-2026.md asks for, each checked against a text found with the search tool.
    /// </summary>
    private static readonly string[] ReferenceIds =
    [
        "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "tongyi-qianwen", "qwen",
        "qwen-research", "deepseek", "mit", "apache-2.0", "mrl", "mnpl", "cc-by-nc-4.0", "falcon-180b-tii-1.0",
        "nvidia-open-model-license", "bigscience-bloom-rail-1.0", "kimi-k2-modified-mit", "devstral-2-modified-mit",
    ];

    private static readonly string[] Ids2026 =
    [
        "c4ai-acceptable-use", "mistral-medium-3.5-modified-mit", "kimi-k2.5-modified-mit", "kimi-k3", "qwen3.8-max",
        "qwen-community-1.0", "minimax-model-license", "minimax-m2.7-non-commercial", "tencent-hunyuan-community", "openmdw-1.1",
        "glm-5.3", "stability-ai-community", "grok-2-community", "falcon-llm-license", "tongyi-qianwen-research",
        "bigcode-openrail-m", "creativeml-openrail-m", "openrail++", "lfm1.0",
    ];

    private const string Valid = """
        id: x
        name: X License
        licensor: X Corp
        country: US
        source: https://example.com/x
        confidence: verified
        commercial: permitted
        clauses:
          - id: x#1-notice
            title: Notice
            summary: Keep the notice.
            source: "§1"
            rule:
              kind: notice
              text: X is licensed under the X License.
              appliesWhen: distribution
        """;

    [Fact]
    public void the_repository_catalog_holds_the_21_reference_licenses_and_the_2026_ones()
    {
        var ids = TestCatalog.Instance.Licenses.Select(l => l.Id).ToList();

        Assert.Equal(ReferenceIds.Length + Ids2026.Length, ids.Count);
        Assert.Equal(ReferenceIds.Concat(Ids2026).Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public void every_clause_id_is_unique_across_the_catalog_and_starts_with_its_license_id()
    {
        var clauses = TestCatalog.Instance.Licenses.SelectMany(l => l.Clauses.Select(c => (License: l.Id, Clause: c.Id))).ToList();

        Assert.All(clauses, c => Assert.StartsWith(c.License + "#", c.Clause, StringComparison.Ordinal));
        Assert.Equal(clauses.Count, clauses.Select(c => c.Clause).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void every_license_names_a_licensor_a_country_an_https_source_and_at_least_one_clause_with_a_source()
    {
        Assert.All(TestCatalog.Instance.Licenses, l =>
        {
            Assert.False(string.IsNullOrWhiteSpace(l.Licensor));
            Assert.True(Countries.IsCountry(l.Country), $"{l.Id}: {l.Country}");
            Assert.Equal("https", l.Source.Scheme);
            Assert.NotEmpty(l.Clauses);
            Assert.All(l.Clauses, c => Assert.False(string.IsNullOrWhiteSpace(c.Source), c.Id));
        });
    }

    [Fact]
    public void terms_only_secondary_sources_support_carry_secondary_confidence()
    {
        // The review could not retrieve the primary text of these.
        foreach (var id in new[] { "mnpl", "devstral-2-modified-mit", "falcon-180b-tii-1.0", "mistral-medium-3.5-modified-mit", "grok-2-community",
                     "lfm1.0", "bigcode-openrail-m", "creativeml-openrail-m", "c4ai-acceptable-use" })
            Assert.Equal(Confidence.Secondary, TestCatalog.Get(id).Confidence);
        // A clause may be surer or less sure than its license; one without its own confidence inherits the license's.
        Assert.Equal(Confidence.Unverified, TestCatalog.Get("falcon-180b-tii-1.0").FindClause("falcon-180b-tii-1.0#redistribution-attribution")!.Confidence);
        Assert.Equal(Confidence.Secondary, TestCatalog.Get("tencent-hunyuan-community").FindClause("tencent-hunyuan-community#4-additional-commercial-terms")!.Confidence);
        Assert.Equal(Confidence.Secondary, TestCatalog.Get("mnpl").FindClause("mnpl#usage-limitation-non-production")!.Confidence);
    }

    [Fact]
    public void terms_the_2026_review_found_in_the_license_text_are_verified()
    {
        // Meta's own USE_POLICY.md for Llama 4 has the EU clause verbatim; the Qwen §4 and §5(b) were found verbatim.
        Assert.Equal(Confidence.Verified, TestCatalog.Get("llama4").FindClause("llama4#aup-multimodal-eu")!.Confidence);
        Assert.Equal(Confidence.Verified, TestCatalog.Get("qwen").Confidence);
        Assert.Equal(Confidence.Verified, TestCatalog.Get("qwen").FindClause("qwen#restrictions-commercial-100m-mau")!.Confidence);
        Assert.Equal(Confidence.Verified, TestCatalog.Get("qwen-research").Confidence);
    }

    [Theory]
    [InlineData("llama2", "2023-07-18")]
    [InlineData("llama3", "2024-04-18")]
    [InlineData("llama3.1", "2024-07-23")]
    [InlineData("llama3.2", "2024-09-25")]
    [InlineData("llama3.3", "2024-12-06")]
    [InlineData("llama4", "2025-04-05")]
    public void every_llama_license_carries_the_version_date_its_text_names(string id, string date)
    {
        Assert.Equal(DateOnly.Parse(date), TestCatalog.Get(id).VersionDate);
    }

    [Fact]
    public void a_version_date_that_is_not_an_iso_date_is_rejected()
    {
        var error = Assert.Single(Errors(("x.yaml", Valid.Replace("commercial: permitted", "commercial: permitted\nversionDate: July 23, 2024"))));

        Assert.Equal("'versionDate' has 'July 23, 2024', expected a date in the form YYYY-MM-DD", error.Problem);
    }

    [Theory]
    [InlineData("""
                  kind: territory
                  excluded: [EU, UK]
            """, "'clauses[0].rule.excluded' has 'UK', which is neither an ISO 3166-1 alpha-2 code nor 'EU'")]
    [InlineData("""
                  kind: business_gate
                  businesses: [model_hosting]
                  consequence: separate_license_required
                  appliesWhen: distribution
            """, "'clauses[0].rule.businesses[0]' has 'model_hosting', expected one of model_as_a_service, ai_work_assistant")]
    [InlineData("""
                  kind: business_gate
                  businesses: [model_as_a_service]
                  revenue: { metric: annual_revenue_usd, scope: company, limit: 20000000 }
                  consequence: separate_license_required
                  appliesWhen: distribution
            """, "'clauses[0].rule.timing' is required (one of release_snapshot, continuous, preceding_month, any_twelve_months)")]
    [InlineData("""
                  kind: hosting
                  excluded: [api]
            """, "'clauses[0].rule.excluded[0]' has 'api', expected one of internal, saas, redistributed")]
    [InlineData("""
                  kind: threshold
                  conditions: [{ metric: annual_revenue_usd, scope: product, limit: 1000000 }]
                  timing: continuous
                  consequence: no_rights
            """, "'clauses[0].rule.conditions[0]' measures annual revenue of a product, which no deployment declares; use the company scope")]
    public void a_malformed_2026_rule_is_rejected_naming_the_field(string rule, string problem)
    {
        var yaml = Valid.Replace("commercial: permitted", "commercial: conditional").Replace("""
                  kind: notice
                  text: X is licensed under the X License.
                  appliesWhen: distribution
            """, rule);

        Assert.Contains(Errors(("x.yaml", yaml)), e => e.File == "x.yaml" && e.Problem == problem);
    }

    [Fact]
    public void governing_law_is_left_out_where_the_reference_marks_it_unverified()
    {
        Assert.Null(TestCatalog.Get("mnpl").GoverningLaw);
        Assert.Null(TestCatalog.Get("devstral-2-modified-mit").GoverningLaw);
        Assert.Null(TestCatalog.Get("bigscience-bloom-rail-1.0").GoverningLaw);
        Assert.Equal("California, USA", TestCatalog.Get("llama3.2").GoverningLaw);
    }

    [Fact]
    public void fields_of_use_are_kebab_case_tags_shared_across_licenses()
    {
        var fields = TestCatalog.Instance.Licenses
            .SelectMany(l => l.Clauses.Select(c => c.Rule).OfType<UseRestrictionRule>().SelectMany(r => r.ProhibitedFields))
            .ToList();

        Assert.All(fields, f => Assert.Matches(new Regex("^[a-z0-9]+(-[a-z0-9]+)*$"), f));
        // The same meaning is spelt the same way wherever it appears.
        foreach (var id in new[] { "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "deepseek" })
            Assert.Contains("military", Restricted(id));
        Assert.Contains("automated-adverse-legal-decisions", Restricted("deepseek"));
        Assert.Contains("automated-adverse-legal-decisions", Restricted("bigscience-bloom-rail-1.0"));
        Assert.Contains("discrimination", Restricted("llama3.1"));
        Assert.Contains("discrimination", Restricted("deepseek"));
    }

    [Fact]
    public void the_catalog_version_is_a_digest_of_the_file_texts_that_ignores_line_endings()
    {
        var unix = LicenseCatalog.Parse([new CatalogSource("x.yaml", Valid)]).Version;
        var windows = LicenseCatalog.Parse([new CatalogSource("x.yaml", Valid.Replace("\n", "\r\n"))]).Version;
        var edited = LicenseCatalog.Parse([new CatalogSource("x.yaml", Valid.Replace("Keep the notice.", "Keep the NOTICE."))]).Version;

        Assert.Matches("^sha256:[0-9a-f]{16}$", unix);
        Assert.Equal(unix, windows);
        Assert.NotEqual(unix, edited);
    }

    [Fact]
    public void a_license_whose_id_differs_from_its_file_name_is_rejected()
    {
        var error = Assert.Single(Errors(("y.yaml", Valid)), e => e.Problem.Contains("file name"));

        Assert.Equal("y.yaml", error.File);
        Assert.Equal("id 'x' does not match the file name (expected 'y')", error.Problem);
    }

    [Fact]
    public void an_unknown_key_is_rejected_with_the_file_and_line_so_a_misspelt_term_is_never_dropped()
    {
        var error = Assert.Single(Errors(("x.yaml", Valid.Replace("appliesWhen: distribution", "appliesWhn: distribution"))));

        Assert.Equal("x.yaml", error.File);
        Assert.StartsWith("line 16, column 7: ", error.Problem);
        Assert.Contains("appliesWhn", error.Problem);
    }

    [Fact]
    public void a_bad_enum_value_is_rejected_listing_the_allowed_values()
    {
        var error = Assert.Single(Errors(("x.yaml", Valid.Replace("commercial: permitted", "commercial: yes-ish"))));

        Assert.Equal("x.yaml", error.File);
        Assert.Equal("'commercial' has 'yes-ish', expected one of permitted, conditional, prohibited", error.Problem);
    }

    [Fact]
    public void an_enum_value_in_the_wrong_case_is_rejected()
    {
        var error = Assert.Single(Errors(("x.yaml", Valid.Replace("appliesWhen: distribution", "appliesWhen: Distribution"))));

        Assert.Equal("'clauses[0].rule.appliesWhen' has 'Distribution', expected one of always, distribution, redistribution", error.Problem);
    }

    [Fact]
    public void a_clause_without_an_id_is_rejected()
    {
        var yaml = Valid.Replace("  - id: x#1-notice\n    title: Notice", "  - title: Notice");

        var error = Assert.Single(Errors(("x.yaml", yaml)));

        Assert.Equal("x.yaml", error.File);
        Assert.Equal("'clauses[0].id' is required", error.Problem);
    }

    [Fact]
    public void a_clause_id_without_the_license_prefix_is_rejected()
    {
        var error = Assert.Single(Errors(("x.yaml", Valid.Replace("id: x#1-notice", "id: y#1-notice"))));

        Assert.Equal("clauses[0].id 'y#1-notice' must start with 'x#'", error.Problem);
    }

    [Fact]
    public void commercial_permitted_with_a_use_limit_clause_is_rejected_as_contradictory()
    {
        var yaml = Valid.Replace("""
                  kind: notice
                  text: X is licensed under the X License.
                  appliesWhen: distribution
            """, """
                  kind: use_limit
                  use: non_commercial
            """);

        var error = Assert.Single(Errors(("x.yaml", yaml)));

        Assert.Equal("x.yaml", error.File);
        Assert.Equal("commercial is 'permitted' but clause 'x#1-notice' limits use to non_commercial", error.Problem);
    }

    [Fact]
    public void commercial_conditional_without_any_gating_clause_is_rejected()
    {
        var error = Assert.Single(Errors(("x.yaml", Valid.Replace("commercial: permitted", "commercial: conditional"))));

        Assert.Equal("commercial is 'conditional' but no clause sets a threshold, hosting, geographic, territory or business condition", error.Problem);
    }

    [Fact]
    public void a_branding_threshold_does_not_make_a_license_conditional()
    {
        var yaml = Valid.Replace("""
                  kind: notice
                  text: X is licensed under the X License.
                  appliesWhen: distribution
            """, """
                  kind: threshold
                  conditions:
                    - metric: monthly_active_users
                      scope: product
                      limit: 100000000
                  timing: continuous
                  consequence: branding_required
                  brandingText: X Inside
            """);

        var license = Assert.Single(LicenseCatalog.Parse([new CatalogSource("x.yaml", yaml)]).Licenses);

        var rule = Assert.IsType<ThresholdRule>(Assert.Single(license.Clauses).Rule);
        Assert.Equal("X Inside", rule.BrandingText);
    }

    [Fact]
    public void branding_required_without_branding_text_is_rejected()
    {
        var yaml = Valid.Replace("""
                  kind: notice
                  text: X is licensed under the X License.
                  appliesWhen: distribution
            """, """
                  kind: threshold
                  conditions:
                    - metric: monthly_revenue_usd
                      scope: company
                      limit: 20000000
                  timing: continuous
                  consequence: branding_required
            """);

        var error = Assert.Single(Errors(("x.yaml", yaml)));

        Assert.Equal("x.yaml", error.File);
        Assert.Equal("'clauses[0].rule.brandingText' is required when the consequence is branding_required", error.Problem);
    }

    [Fact]
    public void a_clause_id_used_twice_is_rejected_naming_the_file()
    {
        var twice = Valid + """

              - id: x#1-notice
                title: Notice again
                summary: The same id for a second clause.
                rule:
                  kind: informational
                  topic: termination
            """;

        var error = Assert.Single(Errors(("x.yaml", twice)));

        Assert.Equal("x.yaml", error.File);
        Assert.Equal("clause id 'x#1-notice' is used more than once", error.Problem);
    }

    [Fact]
    public void the_same_license_and_clause_ids_in_two_files_are_rejected_naming_both_files()
    {
        var errors = Errors(("x.yaml", Valid), ("x.yml", Valid));

        Assert.Contains(errors, e => e.File == "x.yaml, x.yml" && e.Problem == "license id 'x' is defined more than once");
        Assert.Contains(errors, e => e.File == "x.yaml, x.yml" && e.Problem == "clause id 'x#1-notice' is used more than once");
    }

    [Fact]
    public void a_yaml_syntax_error_is_reported_with_its_line_number()
    {
        // An unquoted colon inside a value: the mistake that is easiest to make when pasting a clause summary.
        var broken = Valid.Replace("summary: Keep the notice.", "summary: Note: keep the notice.");

        var error = Assert.Single(Errors(("x.yaml", broken)));

        Assert.Equal("x.yaml", error.File);
        Assert.StartsWith("line 11, column ", error.Problem);
        Assert.Contains("invalid mapping", error.Problem);
    }

    [Fact]
    public void every_problem_in_every_file_is_reported_at_once()
    {
        var exception = Assert.Throws<CatalogException>(() => LicenseCatalog.Parse(
        [
            new CatalogSource("a.yaml", Valid.Replace("id: x", "id: a").Replace("country: US", "country: USA")),
            new CatalogSource("b.yaml", Valid.Replace("id: x", "id: b").Replace("confidence: verified", "confidence: sure")),
        ]));

        Assert.Contains(exception.Errors, e => e.File == "a.yaml" && e.Problem == "country 'USA' is not an ISO 3166-1 alpha-2 code");
        Assert.Contains(exception.Errors, e => e.File == "b.yaml" && e.Problem.StartsWith("'confidence' has 'sure'"));
        Assert.Contains("a.yaml: country 'USA'", exception.Message);
    }

    private static IReadOnlyList<CatalogError> Errors(params (string File, string Yaml)[] files) =>
        Assert.Throws<CatalogException>(() => LicenseCatalog.Parse(files.Select(f => new CatalogSource(f.File, f.Yaml)))).Errors;

    private static IEnumerable<string> Restricted(string licenseId) =>
        TestCatalog.Get(licenseId).Clauses.Select(c => c.Rule).OfType<UseRestrictionRule>().SelectMany(r => r.ProhibitedFields);
}
