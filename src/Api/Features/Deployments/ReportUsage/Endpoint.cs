using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;

namespace Governance.Api.Features.Deployments.ReportUsage;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary>The stream version the change is based on; a stale one is refused with 409.</summary>
    [FromHeader("If-Match", isRequired: false)]
    public string? IfMatch { get; set; }

    /// <summary>Only the fields sent change; the rest stay as they were.</summary>
    [FromBody]
    public UsageRequest Usage { get; set; } = new();
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Usage).NotNull().WithMessage("The body must be a JSON object with the usage fields that changed.");
        RuleFor(x => x.Usage).SetValidator(new UsageValidator(forRegistration: false)).When(x => x.Usage is not null);
        RuleFor(x => x.Usage).Must(u => u.Commercial is not null || u.Hosting is not null || u.Regions is not null || u.DataClasses is not null
                || u.DisplaysAttribution is not null || u.TrainsOtherModels is not null || u.FieldsOfUse is not null
                || u.MonthlyActiveUsers is not null || u.Purpose is not null || u.MonthlyRevenueUsd is not null || u.OffersModelApi is not null
                || u.UserCountries is not null)
            .WithMessage("The report changes nothing: send at least one usage field.").When(x => x.Usage is not null);
        RuleFor(x => x.Usage.Regions).NotEmpty().When(x => x.Usage?.Regions is not null)
            .WithMessage("'regions' must list at least one region.");
        RuleFor(x => x.IfMatch).Must(v => v is null || ETag.TryParse(v, out _)).WithMessage(ETag.Invalid);
    }
}

/// <summary>The architect reports a change in how the product uses the model; the deployment is re-assessed at once.</summary>
public sealed class Endpoint(DeploymentHandler handler) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/usage");
        this.Allow(Role.Architect);
        Summary(s => s.Summary = "Report a change in the product's usage (regions, users, hosting, ...) and re-assess");
        Description(b => b.ProducesProblem(400).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var u = req.Usage;
        var change = new UsageChange(u.Commercial, u.Hosting, u.Regions, u.DataClasses, u.DisplaysAttribution, u.TrainsOtherModels,
            u.FieldsOfUse, u.MonthlyActiveUsers, u.Purpose, u.MonthlyRevenueUsd, u.OffersModelApi, u.UserCountries);
        var outcome = await handler.HandleAsync(new DeploymentCommand.ReportUsage(req.Id, change), ETag.Expected(req.IfMatch), Actor.From(User), ct);
        await Send.ResultAsync(outcome.ToResult(HttpContext));
    }
}
