using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests;

/// <summary>
/// A realistic deployment to vary per test: a commercial SaaS product in eu-west-1, processing personal data,
/// for a company domiciled in Germany that reported modest usage. Tests change only what they are about.
/// </summary>
public sealed record Scenario
{
    public static readonly DateOnly Today = new(2026, 11, 22);

    public License? License { get; init; }
    public ModelFacts Model { get; init; } = new(
        Name: "Meta-Llama-3.1-8B-Instruct", LicenseId: "llama3.1", ReleaseDate: new DateOnly(2024, 7, 23), Origin: "US",
        Modality: Modality.Text, ArtifactSha256: new string('a', 64), IsDerivative: false, BaseModels: [], DistributedName: null);
    public UsageFacts Usage { get; init; } = new(
        Commercial: true, Hosting: Hosting.Saas, Regions: ["eu-west-1"], DataClasses: ["personal"], DisplaysAttribution: true,
        TrainsOtherModels: false, FieldsOfUse: ["customer-support"], MonthlyActiveUsers: 250_000);
    public CompanyFacts Company { get; init; } = new("Acme GmbH", "DE",
    [
        new(new YearMonth(2024, 6), 1_200_000, 3_000_000m),
        new(new YearMonth(2026, 10), 2_500_000, 5_000_000m),
    ]);
    public CompanyRules Rules { get; init; } = new([new ResidencyRule("personal", ["eu-*"])], [], false);
    public AttestationFacts Attestation { get; init; } = AttestationFacts.None;
    public IReadOnlyList<Waiver> Waivers { get; init; } = [];
    public DateOnly On { get; init; } = Today;

    /// <summary>Whether the model catalog takes part, as it does once the Api wires it: lineage resolved from the real catalogs.</summary>
    public bool UsesModelCatalog { get; init; }

    public static Scenario For(string licenseId) => new Scenario().WithLicense(licenseId);

    public Scenario WithLicense(string licenseId) =>
        this with { License = TestCatalog.Instance.Find(licenseId), Model = Model with { LicenseId = licenseId } };

    public Scenario WithUsage(Func<UsageFacts, UsageFacts> change) => this with { Usage = change(Usage) };

    public Scenario WithModel(Func<ModelFacts, ModelFacts> change) => this with { Model = change(Model) };

    public Scenario ReleasedOn(int year, int month, int day) => WithModel(m => m with { ReleaseDate = new DateOnly(year, month, day) });

    /// <summary>Replaces the company's reported figures, keeping its name and domicile.</summary>
    public Scenario WithFigures(params MonthlyFigures[] figures) => this with { Company = Company with { Usage = figures } };

    public Scenario WithDomicile(string? domicile) => this with { Company = Company with { Domicile = domicile } };

    public Scenario WithCompany(Func<CompanyFacts, CompanyFacts> change) => this with { Company = change(Company) };

    /// <summary>
    /// The deployment registered by repository id: the model facts come from the model catalog (as the Api fills them),
    /// with <paramref name="declare"/> changing what the architect typed, and the lineage is resolved.
    /// </summary>
    public Scenario Registered(string repo, Func<ModelFacts, ModelFacts>? declare = null)
    {
        var facts = TestCatalog.Model(repo).Declare(Model.ArtifactSha256);
        facts = declare?.Invoke(facts) ?? facts;
        return this with { Model = facts, License = TestCatalog.Instance.Find(facts.LicenseId), UsesModelCatalog = true };
    }

    /// <summary>Hand-typed facts, with the model catalog taking part (lineage from the declared base models).</summary>
    public Scenario WithModelCatalog() => this with { UsesModelCatalog = true };

    public Lineage? Lineage => UsesModelCatalog ? Governance.Policies.Evaluation.Lineage.Resolve(Model, TestCatalog.Models, TestCatalog.Instance) : null;

    public Assessment Evaluate() => Evaluator.Evaluate(
        new EvaluationInput(License, new DeploymentFacts(Model, Usage), Company, Rules, Attestation, Waivers, On, Lineage));
}

public static class AssessmentExtensions
{
    public static Finding Single(this Assessment a, string code) =>
        Assert.Single(a.Findings, f => f.Code == code);

    public static bool Has(this Assessment a, string code, Severity severity) =>
        a.Findings.Any(f => f.Code == code && f.Severity == severity);

    /// <summary>Asserts that no finding with the code was produced (and says which ones were, if it fails).</summary>
    public static void AssertNo(this Assessment a, string code) =>
        Assert.DoesNotContain(a.Findings, f => f.Code == code);
}
