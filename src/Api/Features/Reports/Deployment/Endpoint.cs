using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reports.Deployment;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary>An ISO-8601 instant: the report describes the deployment as it stood then. Default: now.</summary>
    [QueryParam]
    public DateTimeOffset? AsOf { get; set; }
}

/// <summary>The compliance report as a PDF. Its SHA-256 is recorded in the ledger as it is issued.</summary>
public sealed class Endpoint(IDocumentSession session, ReportRendering rendering) : Endpoint<Request>
{
    public override void Configure()
    {
        Get("/deployments/{id}/report");
        this.Allow(Role.Auditor, Role.Legal);
        Summary(s => s.Summary = "The deployment's compliance report (PDF), now or as of an instant; its digest is recorded for verification");
        Description(b => b.Produces(200, typeof(byte[]), "application/pdf").ProducesProblem(400).ProducesProblem(404).ProducesProblem(503));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await using var report = await rendering.DeploymentAsync(session, req.Id, req.AsOf, Actor.From(User), ct);
        if (report is null)
        {
            await Send.ResultAsync(Problem.Of(404, "Deployment not found", req.AsOf is null
                ? $"No deployment has id {req.Id}."
                : $"Deployment {req.Id} did not exist at {req.AsOf:O}."));
            return;
        }
        await Send.ResultAsync(report.Download(HttpContext));
    }
}
