using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Marten;

namespace Governance.Api.Features.Company.ReportUsage;

public sealed class Request
{
    /// <summary>The calendar month, <c>YYYY-MM</c>. Reporting a month again corrects it.</summary>
    public string? Month { get; set; }
    /// <summary>Monthly active users of the company and its affiliates, all products together.</summary>
    public long? MonthlyActiveUsers { get; set; }
    public decimal? MonthlyRevenueUsd { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator(TimeProvider clock)
    {
        RuleFor(x => x.Month).NotEmpty().Must(m => YearMonth.TryParse(m, out _)).WithMessage("'month' must be a month in the form YYYY-MM.")
            .Must(m => !YearMonth.TryParse(m, out var month) || month <= YearMonth.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            .WithMessage("'month' can't be in the future.");
        RuleFor(x => x.MonthlyActiveUsers).NotNull().GreaterThanOrEqualTo(0);
        RuleFor(x => x.MonthlyRevenueUsd).NotNull().GreaterThanOrEqualTo(0);
    }
}

[Refuses(409)]
public sealed class Endpoint(IDocumentSession session, Assessor assessor, TimeProvider clock) : Endpoint<Request, CompanyView>
{
    public override void Configure()
    {
        Post("/company/usage");
        this.Allow(Role.Admin, Role.Architect);
        Summary(s => s.Summary = "Report the company's monthly active users and revenue for a month; open deployments are re-assessed");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (now, by) = (clock.GetUtcNow(), Actor.From(User));
        var reported = new CompanyUsageReported(YearMonth.Parse(req.Month!), req.MonthlyActiveUsers!.Value, req.MonthlyRevenueUsd!.Value, by, now);
        var company = await CompanyStream.Change(session, assessor, reported, "company-usage-reported", ct);
        await Send.OkAsync(company, ct);
    }
}
