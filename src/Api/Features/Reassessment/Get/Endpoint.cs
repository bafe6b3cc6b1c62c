using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reassessment.Get;

public sealed class Request
{
    public string Id { get; set; } = "";
}

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, ReassessmentRun>
{
    public override void Configure()
    {
        Get("/reassessments/{id}");
        this.Allow(Role.Admin, Role.Legal, Role.Auditor, Role.Architect);
        Summary(s => s.Summary = "A background re-assessment: what triggered it, how far it is, what it changed");
        Description(b => b.ProducesProblem(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (await session.LoadAsync<ReassessmentRun>(req.Id, ct) is { } run) await Send.OkAsync(run, ct);
        else await Send.ResultAsync(Problem.Of(404, "Re-assessment not found", $"No re-assessment has id '{req.Id}'."));
    }
}
