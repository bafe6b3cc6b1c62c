using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// One characteristic finding per catalog entry: the term that most distinguishes the license, triggered by the
/// smallest change to the default scenario. The coverage test keeps this table in step with the catalog.
/// </summary>
public sealed class LicenseEntryTests
{
    private sealed record Case(Func<Scenario, Scenario> Setup, string Code, Severity Severity, string ClauseId, Verdict Verdict);

    private static readonly MonthlyFigures[] SmallCompany =
    [
        new(new YearMonth(2023, 6), 1_000_000, 2_000_000m),
        new(new YearMonth(2024, 3), 1_000_000, 2_000_000m),
        new(new YearMonth(2024, 6), 1_200_000, 3_000_000m),
        new(new YearMonth(2024, 8), 1_200_000, 3_000_000m),
        new(new YearMonth(2024, 11), 1_200_000, 3_000_000m),
        new(new YearMonth(2025, 3), 1_500_000, 4_000_000m),
        new(new YearMonth(2026, 10), 2_500_000, 5_000_000m),
    ];

    private static Scenario Internal(Scenario s) => s.WithUsage(u => u with { Hosting = Hosting.Internal });
    private static Scenario Redistributed(Scenario s) => s.WithUsage(u => u with { Hosting = Hosting.Redistributed });
    private static Scenario Trains(Scenario s) => s.WithUsage(u => u with { TrainsOtherModels = true });
    private static Scenario Multimodal(Scenario s) => s.WithModel(m => m with { Modality = Modality.Multimodal });
    private static Scenario ProductUsers(Scenario s, long mau) => s.WithUsage(u => u with { MonthlyActiveUsers = mau });
    private static Scenario Fields(Scenario s, params string[] fields) => s.WithUsage(u => u with { FieldsOfUse = fields });
    private static Scenario Revenue(Scenario s, decimal monthly) => s.WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 2_500_000, monthly));
    private static Scenario ProductRevenue(Scenario s, decimal monthly) => s.WithUsage(u => u with { MonthlyRevenueUsd = monthly });
    private static Scenario AnnualRevenue(Scenario s, decimal monthly) => s.WithFigures(
        Enumerable.Range(0, 12).Select(i => new MonthlyFigures(new YearMonth(2025, 11).Next(i), 2_500_000, monthly)).ToArray());
    private static Scenario Businesses(Scenario s, params BusinessActivity[] businesses) => s.WithCompany(c => c with { Businesses = businesses });

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        ["llama2"] = new(s => Trains(s.ReleasedOn(2023, 7, 18)),
            FindingCodes.OutputTrainingProhibited, Severity.Blocking, "llama2#1b-v-outputs", Verdict.NonCompliant),
        ["llama3"] = new(s => Trains(s.ReleasedOn(2024, 4, 18)),
            FindingCodes.OutputTrainingProhibited, Severity.Blocking, "llama3#1b-v-outputs", Verdict.NonCompliant),
        ["llama3.1"] = new(s => Redistributed(s).WithModel(m => m with { IsDerivative = true, DistributedName = "Acme-8B" }),
            FindingCodes.DerivativeNaming, Severity.Blocking, "llama3.1#1b-i-derivative-naming", Verdict.NonCompliant),
        ["llama3.2"] = new(s => Multimodal(s.ReleasedOn(2024, 9, 25)),
            FindingCodes.GeographicRestriction, Severity.Blocking, "llama3.2#aup-multimodal-eu", Verdict.NonCompliant),
        ["llama3.3"] = new(s => Multimodal(s.ReleasedOn(2024, 12, 6)),
            FindingCodes.GeographicRestriction, Severity.Blocking, "llama3.3#aup-multimodal-eu", Verdict.NonCompliant),
        ["llama4"] = new(s => Multimodal(s.ReleasedOn(2025, 4, 5)),
            FindingCodes.GeographicRestriction, Severity.Blocking, "llama4#aup-multimodal-eu", Verdict.NonCompliant),
        ["gemma"] = new(s => s,
            FindingCodes.UseRestrictionsPassdown, Severity.Obligation, "gemma#3.1-use-restrictions-passdown", Verdict.Conditional),
        ["tongyi-qianwen"] = new(s => ProductUsers(s, 150_000_000),
            FindingCodes.MauThresholdExceeded, Severity.Blocking, "tongyi-qianwen#4-commercial-100m-mau", Verdict.NonCompliant),
        ["qwen"] = new(s => ProductUsers(s, 150_000_000),
            FindingCodes.MauThresholdExceeded, Severity.Blocking, "qwen#restrictions-commercial-100m-mau", Verdict.NonCompliant),
        ["qwen-research"] = new(s => s,
            FindingCodes.NonCommercialLicense, Severity.Blocking, "qwen-research#grant-non-commercial-only", Verdict.NonCompliant),
        ["deepseek"] = new(s => Fields(s, "customer-support", "military"),
            FindingCodes.UseRestriction, Severity.Blocking, "deepseek#5-use-restrictions", Verdict.NonCompliant),
        ["mit"] = new(Redistributed,
            FindingCodes.NoticeRequired, Severity.Obligation, "mit#conditions-notice", Verdict.Conditional),
        ["apache-2.0"] = new(Redistributed,
            FindingCodes.NoticeRequired, Severity.Obligation, "apache-2.0#4d-notice", Verdict.Conditional),
        ["mrl"] = new(Internal,
            FindingCodes.NonCommercialLicense, Severity.Blocking, "mrl#3.2-research-only", Verdict.NonCompliant),
        ["mnpl"] = new(s => Internal(s).WithUsage(u => u with { Commercial = false }),
            FindingCodes.NonCommercialLicense, Severity.Blocking, "mnpl#usage-limitation-non-production", Verdict.NonCompliant),
        ["cc-by-nc-4.0"] = new(Internal,
            FindingCodes.NonCommercialLicense, Severity.Blocking, "cc-by-nc-4.0#2a1-non-commercial", Verdict.NonCompliant),
        ["falcon-180b-tii-1.0"] = new(s => s.WithUsage(u => u with { OffersModelApi = true }),
            FindingCodes.HostingRestricted, Severity.Blocking, "falcon-180b-tii-1.0#hosting-use", Verdict.NonCompliant),
        ["nvidia-open-model-license"] = new(Redistributed,
            FindingCodes.NoticeRequired, Severity.Obligation, "nvidia-open-model-license#3.1-notice", Verdict.Conditional),
        ["bigscience-bloom-rail-1.0"] = new(s => Internal(Fields(s, "medical-advice")),
            FindingCodes.UseRestriction, Severity.Blocking, "bigscience-bloom-rail-1.0#5-use-restrictions", Verdict.NonCompliant),
        ["kimi-k2-modified-mit"] = new(s => ProductRevenue(s, 25_000_000m).WithUsage(u => u with { DisplaysAttribution = false }),
            FindingCodes.RevenueThresholdExceeded, Severity.Obligation, "kimi-k2-modified-mit#modification-branding", Verdict.Conditional),
        ["devstral-2-modified-mit"] = new(s => Internal(Revenue(s, 25_000_000m)),
            FindingCodes.RevenueThresholdExceeded, Severity.Blocking, "devstral-2-modified-mit#modification-revenue-limit", Verdict.NonCompliant),
        ["c4ai-acceptable-use"] = new(s => Fields(s, "surveillance"),
            FindingCodes.UseRestriction, Severity.Blocking, "c4ai-acceptable-use#prohibited-uses", Verdict.NonCompliant),
        ["mistral-medium-3.5-modified-mit"] = new(s => Internal(Revenue(s, 25_000_000m)),
            FindingCodes.RevenueThresholdExceeded, Severity.Blocking, "mistral-medium-3.5-modified-mit#modification-revenue-limit", Verdict.NonCompliant),
        ["kimi-k2.5-modified-mit"] = new(s => ProductUsers(s, 150_000_000).WithUsage(u => u with { DisplaysAttribution = false }),
            FindingCodes.MauThresholdExceeded, Severity.Obligation, "kimi-k2.5-modified-mit#modification-branding", Verdict.Conditional),
        ["kimi-k3"] = new(s => Businesses(AnnualRevenue(s, 2_000_000m), BusinessActivity.ModelAsAService),
            FindingCodes.BusinessGate, Severity.Blocking, "kimi-k3#2-model-as-a-service", Verdict.NonCompliant),
        ["qwen3.8-max"] = new(s => Businesses(AnnualRevenue(s, 5_000_000m), BusinessActivity.AiWorkAssistant),
            FindingCodes.BusinessGate, Severity.Blocking, "qwen3.8-max#2-maas-and-ai-work-assistant", Verdict.NonCompliant),
        ["qwen-community-1.0"] = new(s => Businesses(s, BusinessActivity.ModelAsAService),
            FindingCodes.BusinessGate, Severity.Blocking, "qwen-community-1.0#2-maas-and-ai-work-assistant", Verdict.NonCompliant),
        ["minimax-model-license"] = new(s => Fields(s, "military"),
            FindingCodes.UseRestriction, Severity.Blocking, "minimax-model-license#prohibited-uses", Verdict.NonCompliant),
        ["minimax-m2.7-non-commercial"] = new(Internal,
            FindingCodes.NonCommercialLicense, Severity.Blocking, "minimax-m2.7-non-commercial#3-commercial-use", Verdict.NonCompliant),
        ["tencent-hunyuan-community"] = new(s => s,
            FindingCodes.GeographicRestriction, Severity.Blocking, "tencent-hunyuan-community#territory", Verdict.NonCompliant),
        ["openmdw-1.1"] = new(Redistributed,
            FindingCodes.NoticeRequired, Severity.Obligation, "openmdw-1.1#distribution-notices", Verdict.Conditional),
        ["glm-5.3"] = new(s => Businesses(AnnualRevenue(s, 1_000_000_000m), BusinessActivity.ModelAsAService),
            FindingCodes.BusinessGate, Severity.Blocking, "glm-5.3#2-security-review", Verdict.NonCompliant),
        ["stability-ai-community"] = new(s => AnnualRevenue(s, 100_000m),
            FindingCodes.RevenueThresholdExceeded, Severity.Blocking, "stability-ai-community#3-annual-revenue", Verdict.NonCompliant),
        ["grok-2-community"] = new(Trains,
            FindingCodes.OutputTrainingProhibited, Severity.Blocking, "grok-2-community#outputs", Verdict.NonCompliant),
        ["falcon-llm-license"] = new(Redistributed,
            FindingCodes.UseRestrictionsPassdown, Severity.Obligation, "falcon-llm-license#4-passdown", Verdict.Conditional),
        ["tongyi-qianwen-research"] = new(s => s,
            FindingCodes.NonCommercialLicense, Severity.Blocking, "tongyi-qianwen-research#2-non-commercial", Verdict.NonCompliant),
        ["bigcode-openrail-m"] = new(s => Internal(Fields(s, "malware")),
            FindingCodes.UseRestriction, Severity.Blocking, "bigcode-openrail-m#5-use-restrictions", Verdict.NonCompliant),
        ["creativeml-openrail-m"] = new(s => Internal(Fields(s, "medical-advice")),
            FindingCodes.UseRestriction, Severity.Blocking, "creativeml-openrail-m#5-use-restrictions", Verdict.NonCompliant),
        ["openrail++"] = new(s => Internal(Fields(s, "law-enforcement-profiling")),
            FindingCodes.UseRestriction, Severity.Blocking, "openrail++#5-use-restrictions", Verdict.NonCompliant),
        ["lfm1.0"] = new(s => AnnualRevenue(s, 1_000_000m),
            FindingCodes.RevenueThresholdExceeded, Severity.Blocking, "lfm1.0#commercial-revenue-limit", Verdict.NonCompliant),
    };

    public static TheoryData<string> LicenseIds => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(LicenseIds))]
    public void each_license_produces_its_characteristic_finding_with_the_clause_that_says_so(string licenseId)
    {
        var @case = Cases[licenseId];
        var scenario = @case.Setup(Scenario.For(licenseId).WithFigures(SmallCompany));
        Assert.NotNull(scenario.License);

        var a = scenario.Evaluate();

        var finding = Assert.Single(a.Findings, f => f.Code == @case.Code && f.ClauseId == @case.ClauseId);
        Assert.Equal(@case.Severity, finding.Severity);
        Assert.NotNull(scenario.License.FindClause(finding.ClauseId));
        Assert.Equal(@case.Verdict, a.Verdict);
    }

    [Fact]
    public void every_catalog_entry_has_a_characteristic_case()
    {
        Assert.Equal(TestCatalog.Instance.Licenses.Select(l => l.Id), Cases.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void without_the_triggering_fact_each_license_stays_clear_of_its_blocking_finding()
    {
        // The same licenses in the default scenario made harmless: internal, no training, no restricted field,
        // text-only, research purpose where that is all a license allows, run and owned outside any excluded territory.
        foreach (var (id, @case) in Cases.Where(c => c.Value.Severity == Severity.Blocking))
        {
            var a = Internal(Scenario.For(id).WithFigures(SmallCompany).WithDomicile("US"))
                .WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Regions = ["us-east-1"] })
                .WithModel(m => m with { ReleaseDate = Cases[id].Setup(Scenario.For(id)).Model.ReleaseDate })
                .Evaluate();

            Assert.DoesNotContain(a.Findings, f => f.ClauseId == @case.ClauseId && f.Severity == Severity.Blocking);
        }
    }
}
