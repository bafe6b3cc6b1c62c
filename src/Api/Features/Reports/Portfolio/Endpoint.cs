using FastEndpoints;
using Governance.Api.Features.Company;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reports.Portfolio;

/// <summary>The portfolio report as a PDF: every deployment, a one-page summary first. Its digest is recorded on issue.</summary>
public sealed class Endpoint(IDocumentSession session, ReportRendering rendering, TimeProvider clock) : EndpointWithoutRequest
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
        var (now, by, reportId) = (clock.GetUtcNow(), Actor.From(User), Guid.CreateVersion7());
        var company = await session.LoadAsync<CompanyState>(CompanyState.StreamId, ct);
        using var model = await PortfolioReportModel.LoadAsync(session, reportId, now, by, company?.Name ?? "Company", ct);
        var (pdf, issued) = await rendering.IssueAsync(session, new PortfolioReportDocument(model), reportId, "portfolio", null, now, by, now, ct);
        await using (pdf)
        {
            HttpContext.Response.Headers["X-Report-Id"] = issued.ReportId.ToString();
            HttpContext.Response.Headers["X-Report-Sha256"] = issued.Sha256;
            await Send.StreamAsync(pdf, $"governance-portfolio-{now.UtcDateTime:yyyyMMddTHHmmssZ}.pdf", pdf.Length, "application/pdf", cancellation: ct);
        }
    }
}
