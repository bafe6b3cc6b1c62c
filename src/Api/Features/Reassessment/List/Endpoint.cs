using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reassessment.List;

public sealed class Endpoint(IQuerySession session) : EndpointWithoutRequest<IReadOnlyList<ReassessmentRun>>
{
    public override void Configure()
    {
        Get("/reassessments");
        this.Allow(Role.Admin, Role.Legal, Role.Auditor, Role.Architect);
        Summary(s => s.Summary = "The latest background re-assessments, newest first");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync(await session.Query<ReassessmentRun>().OrderByDescending(r => r.QueuedAt).Take(100).ToListAsync(ct), ct);
}
