using Governance.Policies.Catalog;

namespace Governance.Policies.Evaluation;

/// <summary>
/// Everything one assessment depends on. <see cref="License"/> is null when the catalog has no entry for
/// <see cref="DeploymentFacts.Model"/>'s license id. <see cref="On"/> is the assessment date: it picks the
/// latest usage month for continuous thresholds and decides which waivers are still in force.
/// <see cref="Lineage"/> (from <see cref="Evaluation.Lineage.Resolve"/>) brings in the model catalog: the catalogued
/// facts of the model and the licenses it inherits. Without it, the declared model and license are all there is.
/// </summary>
public sealed record EvaluationInput(
    License? License,
    DeploymentFacts Deployment,
    CompanyFacts Company,
    CompanyRules Rules,
    AttestationFacts Attestation,
    IReadOnlyList<Waiver> Waivers,
    DateOnly On,
    Lineage? Lineage = null);
