using Governance.Api.Features.Assessing;
using Governance.Api.Infrastructure;
using Governance.Api.Features.Reassessment;
using Marten;

namespace Governance.Api.Features.Company;

/// <summary>
/// The one write path of the company stream: load (pinned to the version read), decide, append, have every open
/// deployment re-assessed against the company as it will stand, save all of it in one transaction, read back.
/// </summary>
public sealed class CompanyHandler(IDocumentSession session, PolicySet policies, TimeProvider clock)
{
    public async Task<CompanyState> HandleAsync(CompanyCommand command, Actor by, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var stream = await session.Events.FetchForWriting<CompanyState>(CompanyState.StreamId, ct);
        var events = CompanyDecider.Decide(command, by, at);
        stream.AppendMany(events);
        var company = events.Aggregate(stream.Aggregate ?? new CompanyState(), (state, e) => state.Evolve(e)) with { Version = (stream.StartingVersion ?? 0) + events.Count };
        await ReassessmentTriggers.CompanyChanged(session, AssessmentBasis.Of(policies, company), command.Trigger, by, at, ct);
        await session.SaveChangesAsync(ct);
        return (await session.Events.FetchLatest<CompanyState>(CompanyState.StreamId, ct))!;
    }
}
