using Governance.Api.Features.Reassessment;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Company;

/// <summary>A company change as it answers: the company as it now stands, and the re-assessment it set off.</summary>
public sealed record CompanyChange(CompanyState Company, ReassessmentRun Reassessment) : IVersioned
{
    public long Version => Company.Version;
}

/// <summary>
/// The one write path of the company stream: load (pinned to the version read), decide, append, and queue the
/// re-assessment of every open deployment in the same transaction; save; read back. The re-assessment runs in the
/// background (<see cref="ReassessmentSubscription"/>), so a change answers at once however many deployments there are.
/// </summary>
public sealed class CompanyHandler(IDocumentSession session, TimeProvider clock)
{
    public static string RunId(long companyVersion) => $"company-{companyVersion}";

    public async Task<CompanyChange> HandleAsync(CompanyCommand command, Actor by, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        // Locked until commit: concurrent changes of the company take turns rather than all but one failing with 409.
        var stream = await session.Events.FetchForExclusiveWriting<CompanyState>(CompanyState.StreamId, ct);
        var events = CompanyDecider.Decide(command, by, at);
        stream.AppendMany(events);
        var run = ReassessmentRun.Queue(RunId((stream.StartingVersion ?? 0) + events.Count), command.Trigger, by, at);
        session.Store(run);
        await session.SaveChangesAsync(ct);
        return new CompanyChange((await session.Events.FetchLatest<CompanyState>(CompanyState.StreamId, ct))!, run);
    }
}
