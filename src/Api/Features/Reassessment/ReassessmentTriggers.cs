using Governance.Api.Features.Assessing;
using Governance.Api.Features.Deployments;
using Marten;

namespace Governance.Api.Features.Reassessment;

/// <summary>
/// Something every open deployment depends on changed: the company (figures, profile, rules), the catalog, the
/// calendar (a waiver's expiry date came), or a scanner key (revoked). Each trigger picks the deployments it affects
/// and has the deployment decider say what follows; the events are appended in the caller's transaction, each pinned
/// to the version read, so a deployment changed meanwhile makes the whole change fail (409) rather than be assessed on
/// stale facts.
/// </summary>
public static class ReassessmentTriggers
{
    public static Task<int> CompanyChanged(IDocumentSession session, AssessmentBasis basis, string trigger, Actor by, DateTimeOffset at, CancellationToken ct) =>
        Run(session, session.Query<DeploymentState>().Where(d => d.Status != DeploymentStatus.Retired),
            d => new DeploymentCommand.Reassess(d.Id, trigger), new DecisionContext(basis, by, at), ct);

    /// <summary>Waivers whose expiry date has come lapse; deployments last assessed against another catalog are assessed again.</summary>
    public static Task<int> Sweep(IDocumentSession session, AssessmentBasis basis, DateTimeOffset at, CancellationToken ct)
    {
        var context = new DecisionContext(basis, Actor.System, at);
        var (today, catalog) = (context.Today, basis.CatalogVersion);
        return Run(session,
            session.Query<DeploymentState>().Where(d => d.Status != DeploymentStatus.Retired
                && ((d.NextWaiverExpiry != null && d.NextWaiverExpiry <= today) || d.Assessment!.CatalogVersion != catalog)),
            // Lapsing re-assesses against the current catalog too, so one command per deployment covers both.
            d => d.NextWaiverExpiry <= today ? new DeploymentCommand.LapseWaivers(d.Id) : new DeploymentCommand.Reassess(d.Id, "catalog-changed"),
            context, ct);
    }

    public static Task<int> ScannerKeyRevoked(IDocumentSession session, AssessmentBasis basis, string keyId, string reason, Actor by, DateTimeOffset at, CancellationToken ct) =>
        Run(session, session.Query<DeploymentState>().Where(d => d.HasValidAttestation && d.Attestation!.KeyId == keyId),
            d => new DeploymentCommand.WithdrawAttestation(d.Id, keyId, $"Scanner key {keyId} revoked: {reason}"), new DecisionContext(basis, by, at), ct);

    private static async Task<int> Run(IDocumentSession session, IQueryable<DeploymentState> affected,
        Func<DeploymentState, DeploymentCommand> command, DecisionContext context, CancellationToken ct)
    {
        var changed = 0;
        foreach (var state in await affected.ToListAsync(ct))
        {
            var decision = DeploymentDecider.Decide(command(state), state, context);
            if (decision.Events.Count == 0) continue;
            session.Events.Append(state.Id, state.Version + decision.Events.Count, decision.Events);
            changed++;
        }
        return changed;
    }
}
