using Governance.Api.Features.Assessing;
using Governance.Api.Infrastructure;
using Marten;
using Microsoft.Extensions.Options;

namespace Governance.Api.Features.Deployments;

/// <summary>
/// The one write path of a deployment, used by the REST endpoints and the console alike: load the state (pinned to the
/// version read), decide (pure), append, save, read the projection back.
/// </summary>
public sealed class DeploymentHandler(IDocumentSession session, PolicySet policies, IOptions<GovernanceOptions> options, TimeProvider clock)
{
    /// <param name="expectedVersion">The version the caller read (If-Match); another one is refused with 409.</param>
    public async Task<Outcome<DeploymentView>> HandleAsync(DeploymentCommand command, long? expectedVersion, Actor by, CancellationToken ct)
    {
        var id = command.DeploymentId;
        // No stream has the empty id (Marten refuses to look one up): it names no deployment.
        if (id == Guid.Empty) return DeploymentDecider.NotFound(id);
        // The stream's row stays locked until this request commits: two writers of one deployment (two architects, or an
        // architect and a re-assessment batch) take turns, each deciding on what the other wrote, instead of one losing
        // with a 409 it did not ask for. A caller that read a version says so with If-Match, checked below.
        var stream = await session.Events.FetchForExclusiveWriting<DeploymentState>(id, ct);
        if (stream.Aggregate is not null && expectedVersion is { } expected && stream.CurrentVersion != expected)
            return new Refusal(409, "Stale version",
                $"The deployment is at version {stream.CurrentVersion}, not {expected} as If-Match said. Read it again and retry.");

        var context = new DecisionContext(await AssessmentBasis.LoadAsync(session, policies, ct, options.Value.Scans), by, clock.GetUtcNow());
        var decision = DeploymentDecider.Decide(command, stream.Aggregate, context);
        if (decision.Refusal is { } refusal) return refusal;

        stream.AppendMany(decision.Events);
        await session.SaveChangesAsync(ct);
        return (await session.Events.FetchLatest<DeploymentView>(id, ct))!;
    }
}
