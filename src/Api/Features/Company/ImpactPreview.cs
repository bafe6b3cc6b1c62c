using Governance.Api.Features.Assessing;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Policies.Evaluation;
using Marten;

namespace Governance.Api.Features.Company;

/// <summary>A deployment a company change would affect: its verdict now and after, and whether it would go back to review.</summary>
public sealed record Impact(Guid DeploymentId, string Name, Verdict? VerdictNow, Verdict? VerdictAfter, bool BackToReview);

/// <summary>
/// What adopting a company change would do, computed without writing anything: the company as it would stand (the
/// company decider's events folded on the current state), and for each open deployment the deployment decider's answer
/// to the re-assessment the change queues (<see cref="Reassessment.Reassessor"/>). The same two deciders as the write,
/// so the preview lists exactly the deployments the write changes (unless something else changes them meanwhile).
/// </summary>
public static class ImpactPreview
{
    public static async Task<IReadOnlyList<Impact>> OfAsync(
        IQuerySession session, PolicySet policies, CompanyCommand command, Actor by, DateTimeOffset at, CancellationToken ct)
    {
        var company = await session.LoadAsync<CompanyState>(CompanyState.StreamId, ct) ?? new CompanyState();
        var events = CompanyDecider.Decide(command, by, at);
        // The version the change would give the company stream: the deployment decider re-assesses what rests on an older one.
        var proposed = events.Aggregate(company, (state, e) => state.Evolve(e)) with { Version = company.Version + events.Count };
        var context = new DecisionContext(AssessmentBasis.Of(policies, proposed), by, at);
        var impacts = new List<Impact>();
        // Streamed: only the deployments that would change stay in memory, however large the portfolio.
        var open = session.Query<DeploymentState>().Where(d => d.Status != DeploymentStatus.Retired).ToAsyncEnumerable(ct);
        await foreach (var state in open)
        {
            var follows = DeploymentDecider.Decide(new DeploymentCommand.Reassess(state.Id, command.Trigger), state, context).Events;
            var after = follows.OfType<DeploymentAssessed>().LastOrDefault()?.Verdict ?? state.Assessment?.Verdict;
            var review = follows.OfType<DeploymentReviewRequired>().Any();
            if (after != state.Assessment?.Verdict || review)
                impacts.Add(new Impact(state.Id, state.Name, state.Assessment?.Verdict, after, review));
        }
        return impacts.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }
}
