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
public sealed class Endpoint(IDocumentSession session, PolicySet policies, ReportRendering rendering, TimeProvider clock) : Endpoint<Request>
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
        var (now, by, reportId) = (clock.GetUtcNow(), Actor.From(User), Guid.CreateVersion7());
        // Without asOf the report describes the present: every event recorded so far. An asOf in the future is the present too.
        var asOf = req.AsOf is { } requested && requested < now ? requested.ToUniversalTime() : (DateTimeOffset?)null;
        using var model = await DeploymentReportModel.LoadAsync(session, policies, req.Id, asOf, reportId, now, by, ct);
        if (model is null)
        {
            await Send.ResultAsync(Problem.Of(404, "Deployment not found", req.AsOf is null
                ? $"No deployment has id {req.Id}."
                : $"Deployment {req.Id} did not exist at {asOf:O}."));
            return;
        }
        var (pdf, issued) = await rendering.IssueAsync(session, new DeploymentReportDocument(model), reportId, "deployment", req.Id, model.AsOf, by, now, ct);
        await using (pdf)
        {
            HttpContext.Response.Headers["X-Report-Id"] = issued.ReportId.ToString();
            HttpContext.Response.Headers["X-Report-Sha256"] = issued.Sha256;
            await Send.StreamAsync(pdf, $"governance-report-{req.Id}-{model.AsOf.UtcDateTime:yyyyMMddTHHmmssZ}.pdf", pdf.Length, "application/pdf", cancellation: ct);
        }
    }
}
