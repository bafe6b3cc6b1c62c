using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// Every finding code in the public contract has a scenario that produces it, with the severity and clause a client
/// may rely on. The coverage test fails when a code is added without one.
/// </summary>
public sealed class FindingCodeTests
{
    private static AttestationFacts ScanFailed(string code) =>
        new(false, [new ScanObservation(code, "The artifact could not be attested.", new Dictionary<string, string> { ["actual"] = new string('f', 64) })]);

    private static AttestationFacts Attested(string? license, params string[] baseModels) =>
        new(true, Artifact: new ArtifactClaims(license, null, null, baseModels));

    private sealed record Case(Func<Scenario> Build, Severity Severity, string ClauseId);

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        [FindingCodes.UnknownLicense] = new(
            () => new Scenario { License = null }.WithModel(m => m with { LicenseId = "acme-community-1.0" }),
            Severity.Blocking, Evaluator.UnknownLicenseClause),
        [FindingCodes.NonCommercialLicense] = new(
            () => Scenario.For("cc-by-nc-4.0"), Severity.Blocking, "cc-by-nc-4.0#2a1-non-commercial"),
        [FindingCodes.MauThresholdExceeded] = new(
            () => Scenario.For("tongyi-qianwen").WithUsage(u => u with { MonthlyActiveUsers = 150_000_000 }),
            Severity.Blocking, "tongyi-qianwen#4-commercial-100m-mau"),
        [FindingCodes.RevenueThresholdExceeded] = new(
            () => Scenario.For("devstral-2-modified-mit").WithFigures(new MonthlyFigures(new YearMonth(2026, 10), 3_000_000, 25_000_000m)),
            Severity.Blocking, "devstral-2-modified-mit#modification-revenue-limit"),
        [FindingCodes.ThresholdFactsMissing] = new(
            () => Scenario.For("llama3.1").WithFigures(),
            Severity.Obligation, "llama3.1#2-additional-commercial-terms"),
        [FindingCodes.ThresholdWithinLimit] = new(
            () => Scenario.For("llama3.1"), Severity.Info, "llama3.1#2-additional-commercial-terms"),
        [FindingCodes.AttributionRequired] = new(
            () => Scenario.For("llama3").WithUsage(u => u with { DisplaysAttribution = false }),
            Severity.Obligation, "llama3#1b-i-attribution"),
        [FindingCodes.NoticeRequired] = new(
            () => Scenario.For("tongyi-qianwen").WithUsage(u => u with { Hosting = Hosting.Redistributed }),
            Severity.Obligation, "tongyi-qianwen#3c-notice"),
        [FindingCodes.DerivativeNaming] = new(
            () => Scenario.For("llama3.1").WithUsage(u => u with { Hosting = Hosting.Redistributed })
                .WithModel(m => m with { IsDerivative = true, DistributedName = "Llama-Acme-8B" }),
            Severity.Info, "llama3.1#1b-i-derivative-naming"),
        [FindingCodes.OutputTrainingProhibited] = new(
            () => Scenario.For("tongyi-qianwen").WithUsage(u => u with { TrainsOtherModels = true }),
            Severity.Blocking, "tongyi-qianwen#5b-outputs"),
        [FindingCodes.HostingRestricted] = new(
            () => Scenario.For("falcon-180b-tii-1.0").WithUsage(u => u with { OffersModelApi = true }),
            Severity.Blocking, "falcon-180b-tii-1.0#hosting-use"),
        [FindingCodes.GeographicRestriction] = new(
            () => Scenario.For("llama3.2").WithModel(m => m with { Modality = Modality.Multimodal }),
            Severity.Blocking, "llama3.2#aup-multimodal-eu"),
        [FindingCodes.UseRestriction] = new(
            () => Scenario.For("deepseek").WithUsage(u => u with { FieldsOfUse = ["military"] }),
            Severity.Blocking, "deepseek#5-use-restrictions"),
        [FindingCodes.UseRestrictionsPassdown] = new(
            () => Scenario.For("deepseek"), Severity.Obligation, "deepseek#4a-use-restrictions-passdown"),
        [FindingCodes.ResidencyViolation] = new(
            () => Scenario.For("apache-2.0").WithUsage(u => u with { Regions = ["us-east-1"] }),
            Severity.Blocking, "company#residency/personal"),
        [FindingCodes.LicenseMismatch] = new(
            () => Scenario.For("apache-2.0") with { Attestation = Attested("llama3.1") },
            Severity.Blocking, Evaluator.ScanClause),
        [FindingCodes.LicenseUndeclared] = new(
            () => Scenario.For("apache-2.0") with { Attestation = Attested(null) },
            Severity.Info, Evaluator.ScanClause),
        [FindingCodes.LineageMismatch] = new(
            () => Scenario.For("apache-2.0") with { Attestation = Attested("apache-2.0", "meta-llama/Llama-3.1-8B") },
            Severity.Blocking, Evaluator.ScanClause),
        [FindingCodes.ArtifactMismatch] = new(
            () => Scenario.For("apache-2.0") with { Attestation = ScanFailed(FindingCodes.ArtifactMismatch) },
            Severity.Blocking, Evaluator.ScanClause),
        [FindingCodes.ArtifactUnreadable] = new(
            () => Scenario.For("apache-2.0") with { Attestation = ScanFailed(FindingCodes.ArtifactUnreadable) },
            Severity.Blocking, Evaluator.ScanClause),
        [FindingCodes.AttestationDrift] = new(
            () => Scenario.For("apache-2.0") with
            {
                Attestation = new AttestationFacts(true, Drift: new FootprintDrift(
                    new MeasuredFootprint(new Dictionary<string, double> { ["tg128"] = 100 }, 1000, "cuda | H100", DateTimeOffset.UnixEpoch),
                    new MeasuredFootprint(new Dictionary<string, double> { ["tg128"] = 80 }, 1000, "cuda | H100 | new driver", DateTimeOffset.UnixEpoch.AddDays(1)), 0.1)),
            },
            Severity.Obligation, Evaluator.DriftClause),
        [FindingCodes.ArchitectureUnsupported] = new(
            () => Scenario.For("llama3.2") with { Attestation = ScanFailed(FindingCodes.ArchitectureUnsupported) },
            Severity.Blocking, Evaluator.ScanClause),
        [FindingCodes.OriginDenied] = new(
            () => Scenario.For("apache-2.0").WithModel(m => m with { Name = "Qwen3-8B", Origin = "CN" })
                with { Rules = new CompanyRules([], ["CN"], false) },
            Severity.Blocking, Evaluator.DeniedOriginsClause),
        [FindingCodes.BusinessGate] = new(
            () => Scenario.For("qwen-community-1.0").WithCompany(c => c with { Businesses = [BusinessActivity.AiWorkAssistant] }),
            Severity.Blocking, "qwen-community-1.0#2-maas-and-ai-work-assistant"),
        [FindingCodes.ModelFactsMismatch] = new(
            () => new Scenario().Registered("meta-llama/Llama-4-Scout-17B-16E-Instruct", m => m with { Modality = Modality.Text }),
            Severity.Obligation, Evaluator.ModelFactsClausePrefix + "modality"),
        [FindingCodes.LicenseConflict] = new(
            () => Scenario.For("apache-2.0").WithModel(m => m with { IsDerivative = true, BaseModels = ["meta-llama/Llama-3.1-8B"] }).WithModelCatalog(),
            Severity.Obligation, Evaluator.LicenseConflictClausePrefix + "llama3.1"),
        [FindingCodes.LineageUnresolved] = new(
            () => Scenario.For("apache-2.0").WithModel(m => m with { BaseModels = ["acme/Acme-Base-7B"] }).WithModelCatalog(),
            Severity.Obligation, Evaluator.LineageUnresolvedClausePrefix + "acme/Acme-Base-7B"),
        [FindingCodes.AttestationRequired] = new(
            () => Scenario.For("apache-2.0") with { Rules = new CompanyRules([], [], true) },
            Severity.Obligation, Evaluator.AttestationClause),
    };

    public static TheoryData<string> Codes => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Codes))]
    public void each_finding_code_is_produced_with_its_severity_and_clause(string code)
    {
        var @case = Cases[code];

        var finding = @case.Build().Evaluate().Single(code);

        Assert.Equal(@case.Severity, finding.Severity);
        Assert.Equal(@case.ClauseId, finding.ClauseId);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
        Assert.NotEmpty(finding.Facts);
    }

    [Fact]
    public void every_public_finding_code_has_a_scenario()
    {
        Assert.Equal(FindingCodes.All.Order(StringComparer.Ordinal), Cases.Keys.Order(StringComparer.Ordinal));
    }
}
