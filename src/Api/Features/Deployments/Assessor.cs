using Governance.Api.Features.Company;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

/// <summary>Gathers what the evaluator needs from the catalog and the company, and runs it.</summary>
public sealed class Assessor(PolicySet policies)
{
    public string CatalogVersion => policies.Catalog.Version;

    public Assessment Assess(DeploymentView state, CompanyView? company, IReadOnlyList<Waiver> waivers, DateOnly on) =>
        Assess(state.Facts(), company, waivers, on, state.Evidence());

    public Assessment Assess(DeploymentFacts deployment, CompanyView? company, IReadOnlyList<Waiver> waivers, DateOnly on,
        AttestationFacts? evidence = null) =>
        Evaluator.Evaluate(new EvaluationInput(
            policies.Catalog.Find(deployment.Model.LicenseId),
            deployment,
            company?.Facts() ?? CompanyFacts.Unknown,
            company?.Rules ?? policies.DefaultRules,
            evidence ?? AttestationFacts.None,
            waivers,
            on));

    public DeploymentAssessed Assessed(Guid id, Assessment a, string trigger, DateOnly on, Actor by, DateTimeOffset at) =>
        new(id, a.Verdict, a.Findings, CatalogVersion, trigger, on, by, at);
}
