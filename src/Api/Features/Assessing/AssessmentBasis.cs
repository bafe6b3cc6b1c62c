using Governance.Api.Features.Company;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Governance.Policies.Evaluation;
using Marten;

namespace Governance.Api.Features.Assessing;

/// <summary>
/// What every assessment depends on besides the deployment itself: the license and model catalogs and the company's
/// facts and rules, at known versions. The pure evaluator bound to them; deciders get it in their context and never load anything.
/// </summary>
public sealed record AssessmentBasis(PolicySet Policies, CompanyFacts Company, CompanyRules Rules, long CompanyVersion, double DriftTolerance = 0.1)
{
    /// <summary>The digest of both catalogs, recorded on every assessment.</summary>
    public string CatalogVersion => Policies.Version;

    /// <summary>Until legal adopts rules, the defaults of policies/company-rules.yaml apply.</summary>
    public static AssessmentBasis Of(PolicySet policies, CompanyState? company, ScanOptions? scans = null) =>
        new(policies, company?.Facts() ?? CompanyFacts.Unknown, company?.Rules ?? policies.DefaultRules, company?.Version ?? 0,
            (scans ?? new ScanOptions()).DriftTolerance);

    public static async Task<AssessmentBasis> LoadAsync(IQuerySession session, PolicySet policies, CancellationToken ct, ScanOptions? scans = null) =>
        Of(policies, await session.LoadAsync<CompanyState>(CompanyState.StreamId, ct), scans);

    /// <summary>The declared license, every license the model's lineage carries (through the model catalog), the company's rules.</summary>
    public Assessment Assess(DeploymentFacts deployment, AttestationFacts evidence, IReadOnlyList<Waiver> waivers, DateOnly on) =>
        Evaluator.Evaluate(new EvaluationInput(Policies.Catalog.Find(deployment.Model.LicenseId), deployment, Company, Rules, evidence, waivers, on,
            Lineage.Resolve(deployment.Model, Policies.Models, Policies.Catalog)));
}
