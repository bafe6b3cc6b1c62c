using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reports.Portfolio;

/// <summary>The portfolio report as a PDF: every deployment, a one-page summary first. Its digest is recorded on issue.</summary>
public sealed class Endpoint(IDocumentSession session, ReportRendering rendering) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/reports/portfolio");
        this.Allow(Role.Auditor, Role.Legal);
        Summary(s => s.Summary = "The company's portfolio report (PDF): status, verdict, open obligations, expiring waivers, attestation age");
        Description(b => b.Produces(200, typeof(byte[]), "application/pdf").ProducesProblem(503));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var report = await rendering.PortfolioAsync(session, Actor.From(User), ct);
        await Send.ResultAsync(report.Download(HttpContext));
    }
}
