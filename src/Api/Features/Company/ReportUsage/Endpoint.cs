using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Policies;

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

/// <summary>The company's monthly figures; open deployments are re-assessed, since user and revenue thresholds read them.</summary>
public sealed class Endpoint(CompanyHandler handler) : Endpoint<Request, CompanyChange>
{
    public override void Configure()
    {
        Post("/company/usage");
        this.Allow(Role.Admin, Role.Architect);
        Summary(s => s.Summary = "Report the company's monthly active users and revenue for a month; open deployments are re-assessed");
        Description(b => b.ProducesProblem(400).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var command = new CompanyCommand.ReportFigures(YearMonth.Parse(req.Month!), req.MonthlyActiveUsers!.Value, req.MonthlyRevenueUsd!.Value);
        await Send.ResultAsync(new Outcome<CompanyChange>(await handler.HandleAsync(command, Actor.From(User), ct), null).ToResult(HttpContext));
    }
}
