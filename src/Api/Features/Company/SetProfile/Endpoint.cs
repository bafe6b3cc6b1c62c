using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Policies;

namespace Governance.Api.Features.Company.SetProfile;

public sealed class Request
{
    public string? Name { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country of the company's domicile; some licenses exclude licensees domiciled in certain places.</summary>
    public string? Domicile { get; set; }
    /// <summary>Whether the company is a commercial entity (default true). Research licenses such as Mistral's bar distribution by one.</summary>
    public bool? CommercialEntity { get; set; }
    /// <summary>
    /// Lines of business the company or its affiliates conduct: <c>model_as_a_service</c>, <c>ai_work_assistant</c>.
    /// Omitted: not declared (a license that gates on it stays open); empty: none.
    /// </summary>
    public List<BusinessActivity>? Businesses { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Domicile).NotEmpty().Must(Countries.IsCountry)
            .WithMessage("'domicile' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. 'DE'.");
        RuleFor(x => x.Businesses).Must(l => l is null || l.Count <= InputLimits.MaxListItems).WithMessage($"At most {InputLimits.MaxListItems} businesses.");
        RuleForEach(x => x.Businesses).IsInEnum();
    }
}

/// <summary>The company's name and domicile; open deployments are re-assessed, since some licenses exclude domiciles.</summary>
public sealed class Endpoint(CompanyHandler handler) : Endpoint<Request, CompanyChange>
{
    public override void Configure()
    {
        Put("/company");
        this.Allow(Role.Admin, Role.Legal);
        Summary(s => s.Summary = "Set the company's name and domicile; open deployments are re-assessed");
        Description(b => b.ProducesProblem(400).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var command = new CompanyCommand.SetProfile(req.Name!.Trim(), req.Domicile!, req.CommercialEntity ?? true, req.Businesses);
        await Send.ResultAsync(new Outcome<CompanyChange>(await handler.HandleAsync(command, Actor.From(User), ct), null).ToResult(HttpContext));
    }
}
