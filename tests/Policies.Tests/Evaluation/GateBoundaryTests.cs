using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// Every gating clause in the catalog (thresholds, use limits, geographic, territory, business and hosting terms) at its
/// boundary, in the license's own numbers: exactly at a limit it is not exceeded ("more than"), one unit above it is;
/// figures outside the month the license names do not count; one letter of a domicile moves a company in or out.
/// The coverage test fails when a gating clause is added without a case.
/// </summary>
public sealed class GateBoundaryTests
{
    private sealed record Case(Func<Scenario> Within, Func<Scenario> Beyond, string Code, Severity Severity);

    private static Scenario S(string licenseId) => Scenario.For(licenseId).WithDomicile("US").WithUsage(u => u with { Regions = ["us-east-1"], UserCountries = ["US"] });

    private static MonthlyFigures Month(int year, int month, long mau, decimal revenue = 0m) => new(new YearMonth(year, month), mau, revenue);

    /// <summary>
    /// Llama: the month before the version date counts, whatever the model's declared date; the version's own month,
    /// with far more users, does not.
    /// </summary>
    private static Case Llama(string id, int year, int month) => new(
        () => S(id).ReleasedOn(2026, 6, 1).WithFigures(Month(year, month, 700_000_000), new MonthlyFigures(new YearMonth(year, month).Next(), 900_000_000, 0m)),
        () => S(id).ReleasedOn(2026, 6, 1).WithFigures(Month(year, month, 700_000_001)),
        FindingCodes.MauThresholdExceeded, Severity.Blocking);

    private static Case ProductUsers(string id, Severity severity) => new(
        () => S(id).WithUsage(u => u with { MonthlyActiveUsers = 100_000_000, MonthlyRevenueUsd = 20_000_000m, DisplaysAttribution = false }),
        () => S(id).WithUsage(u => u with { MonthlyActiveUsers = 100_000_001, MonthlyRevenueUsd = 20_000_000m, DisplaysAttribution = false }),
        FindingCodes.MauThresholdExceeded, severity);

    /// <summary>Devstral 2 and Mistral Medium 3.5: the preceding month only (the assessment is on 22 November 2026).</summary>
    private static Case PrecedingMonthRevenue(string id) => new(
        () => S(id).WithFigures(Month(2026, 10, 1, 20_000_000m), Month(2026, 11, 1, 90_000_000m)),
        () => S(id).WithFigures(Month(2026, 10, 1, 20_000_000.01m)),
        FindingCodes.RevenueThresholdExceeded, Severity.Blocking);

    /// <summary>Twelve reported months to October 2026 adding up to exactly <paramref name="total"/>.</summary>
    private static MonthlyFigures[] Year(decimal total) =>
        Enumerable.Range(0, 12).Select(i => new MonthlyFigures(new YearMonth(2025, 11).Next(i), 1_000, i == 11 ? total - 11 * Math.Floor(total / 12) : Math.Floor(total / 12))).ToArray();

    private static Case Gate(string id, BusinessActivity business, decimal limit) => new(
        () => S(id).WithCompany(c => c with { Businesses = [business] }).WithFigures(Year(limit)),
        () => S(id).WithCompany(c => c with { Businesses = [business] }).WithFigures(Year(limit + 0.01m)),
        FindingCodes.BusinessGate, Severity.Blocking);

    private static Case EuMultimodal(string id) => new(
        () => S(id).WithModel(m => m with { Modality = Modality.Multimodal }).WithDomicile("NO"),
        () => S(id).WithModel(m => m with { Modality = Modality.Multimodal }).WithDomicile("NL"),
        FindingCodes.GeographicRestriction, Severity.Blocking);

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        ["llama2#2-additional-commercial-terms"] = Llama("llama2", 2023, 6),
        ["llama3#2-additional-commercial-terms"] = Llama("llama3", 2024, 3),
        ["llama3.1#2-additional-commercial-terms"] = Llama("llama3.1", 2024, 6),
        ["llama3.2#2-additional-commercial-terms"] = Llama("llama3.2", 2024, 8),
        ["llama3.3#2-additional-commercial-terms"] = Llama("llama3.3", 2024, 11),
        ["llama4#2-additional-commercial-terms"] = Llama("llama4", 2025, 3),
        // Tencent: no version date in the license, so the model's release date anchors it (here declared, no catalog).
        ["tencent-hunyuan-community#4-additional-commercial-terms"] = new(
            () => S("tencent-hunyuan-community").ReleasedOn(2024, 11, 5).WithFigures(Month(2024, 10, 100_000_000), Month(2024, 11, 900_000_000)),
            () => S("tencent-hunyuan-community").ReleasedOn(2024, 11, 5).WithFigures(Month(2024, 10, 100_000_001)),
            FindingCodes.MauThresholdExceeded, Severity.Blocking),
        ["tongyi-qianwen#4-commercial-100m-mau"] = ProductUsers("tongyi-qianwen", Severity.Blocking),
        ["qwen#restrictions-commercial-100m-mau"] = ProductUsers("qwen", Severity.Blocking),
        ["kimi-k2-modified-mit#modification-branding"] = ProductUsers("kimi-k2-modified-mit", Severity.Obligation),
        ["kimi-k2.5-modified-mit#modification-branding"] = ProductUsers("kimi-k2.5-modified-mit", Severity.Obligation),
        ["kimi-k3#3-branding"] = ProductUsers("kimi-k3", Severity.Obligation),
        ["qwen3.8-max#1-branding"] = ProductUsers("qwen3.8-max", Severity.Obligation),
        ["qwen-community-1.0#1-branding"] = ProductUsers("qwen-community-1.0", Severity.Obligation),
        ["devstral-2-modified-mit#modification-revenue-limit"] = PrecedingMonthRevenue("devstral-2-modified-mit"),
        ["mistral-medium-3.5-modified-mit#modification-revenue-limit"] = PrecedingMonthRevenue("mistral-medium-3.5-modified-mit"),
        // Stability: more than USD 1M annual revenue, licensee and affiliates together.
        ["stability-ai-community#3-annual-revenue"] = new(
            () => S("stability-ai-community").WithFigures(Year(1_000_000m)),
            () => S("stability-ai-community").WithFigures(Year(1_000_000.01m)),
            FindingCodes.RevenueThresholdExceeded, Severity.Blocking),
        // LFM: "at least" USD 10M annual revenue (atOrAbove).
        ["lfm1.0#commercial-revenue-limit"] = new(
            () => S("lfm1.0").WithFigures(Year(9_999_999.99m)),
            () => S("lfm1.0").WithFigures(Year(10_000_000m)),
            FindingCodes.RevenueThresholdExceeded, Severity.Blocking),

        ["cc-by-nc-4.0#2a1-non-commercial"] = new(
            () => S("cc-by-nc-4.0").WithUsage(u => u with { Commercial = false }),
            () => S("cc-by-nc-4.0"),
            FindingCodes.NonCommercialLicense, Severity.Blocking),
        ["minimax-m2.7-non-commercial#3-commercial-use"] = new(
            () => S("minimax-m2.7-non-commercial").WithUsage(u => u with { Commercial = false }),
            () => S("minimax-m2.7-non-commercial"),
            FindingCodes.NonCommercialLicense, Severity.Blocking),
        // MRL: research by a commercial entity is fine in-house; a free SaaS by a commercial entity is Distribution.
        ["mrl#3.2-research-only"] = new(
            () => S("mrl").WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Internal }),
            () => S("mrl").WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Saas }),
            FindingCodes.NonCommercialLicense, Severity.Blocking),
        // MNPL: a commercial company may evaluate in a sandbox; supplying it as SaaS is a commercial activity.
        ["mnpl#usage-limitation-non-production"] = new(
            () => S("mnpl").WithUsage(u => u with { Commercial = true, Purpose = Purpose.Evaluation, Hosting = Hosting.Internal }),
            () => S("mnpl").WithUsage(u => u with { Commercial = true, Purpose = Purpose.Evaluation, Hosting = Hosting.Saas }),
            FindingCodes.NonCommercialLicense, Severity.Blocking),
        // Qwen research: "research or evaluation purposes only"; commercially using it, evaluation included, is not.
        ["qwen-research#grant-non-commercial-only"] = new(
            () => S("qwen-research").WithUsage(u => u with { Commercial = false, Purpose = Purpose.Evaluation }),
            () => S("qwen-research").WithUsage(u => u with { Commercial = true, Purpose = Purpose.Evaluation }),
            FindingCodes.NonCommercialLicense, Severity.Blocking),
        ["tongyi-qianwen-research#2-non-commercial"] = new(
            () => S("tongyi-qianwen-research").WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research }),
            () => S("tongyi-qianwen-research").WithUsage(u => u with { Commercial = true, Purpose = Purpose.Research }),
            FindingCodes.NonCommercialLicense, Severity.Blocking),

        ["llama3.2#aup-multimodal-eu"] = EuMultimodal("llama3.2"),
        ["llama3.3#aup-multimodal-eu"] = EuMultimodal("llama3.3"),
        ["llama4#aup-multimodal-eu"] = EuMultimodal("llama4"),
        ["tencent-hunyuan-community#territory"] = new(
            () => S("tencent-hunyuan-community").WithUsage(u => u with { UserCountries = ["US", "CH", "NO"] }),
            () => S("tencent-hunyuan-community").WithUsage(u => u with { UserCountries = ["US", "GB"] }),
            FindingCodes.GeographicRestriction, Severity.Blocking),

        ["kimi-k3#2-model-as-a-service"] = Gate("kimi-k3", BusinessActivity.ModelAsAService, 20_000_000m),
        ["qwen3.8-max#2-maas-and-ai-work-assistant"] = Gate("qwen3.8-max", BusinessActivity.AiWorkAssistant, 50_000_000m),
        ["glm-5.3#2-security-review"] = Gate("glm-5.3", BusinessActivity.ModelAsAService, 10_000_000_000m),
        // Qwen Community License: no revenue threshold; the business decides.
        ["qwen-community-1.0#2-maas-and-ai-work-assistant"] = new(
            () => S("qwen-community-1.0").WithCompany(c => c with { Businesses = [] }),
            () => S("qwen-community-1.0").WithCompany(c => c with { Businesses = [BusinessActivity.ModelAsAService] }),
            FindingCodes.BusinessGate, Severity.Blocking),

        ["falcon-180b-tii-1.0#hosting-use"] = new(
            () => S("falcon-180b-tii-1.0").WithUsage(u => u with { OffersModelApi = false }),
            () => S("falcon-180b-tii-1.0").WithUsage(u => u with { OffersModelApi = true }),
            FindingCodes.HostingRestricted, Severity.Blocking),
    };

    public static TheoryData<string> ClauseIds => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ClauseIds))]
    public void a_gate_holds_at_its_boundary_and_triggers_just_beyond_it(string clauseId)
    {
        var @case = Cases[clauseId];

        var within = @case.Within().Evaluate();
        var beyond = @case.Beyond().Evaluate();

        Assert.DoesNotContain(within.Findings, f => f.ClauseId == clauseId && f.Severity != Severity.Info);
        var finding = Assert.Single(beyond.Findings, f => f.ClauseId == clauseId);
        Assert.Equal((@case.Code, @case.Severity), (finding.Code, finding.Severity));
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    [Fact]
    public void every_gating_clause_in_the_catalog_has_a_boundary_case()
    {
        var gating = TestCatalog.Instance.Licenses.SelectMany(l => l.Clauses)
            .Where(c => c.Rule is ThresholdRule or UseLimitRule or GeographicRule or TerritoryRule or BusinessGateRule or HostingRule)
            .Select(c => c.Id).Order(StringComparer.Ordinal);

        Assert.Equal(gating, Cases.Keys.Order(StringComparer.Ordinal));
    }
}
