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
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Domicile).NotEmpty().Must(Countries.IsCountry)
            .WithMessage("'domicile' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. 'DE'.");
    }
}

/// <summary>The company's name and domicile; open deployments are re-assessed, since some licenses exclude domiciles.</summary>
public sealed class Endpoint(CompanyHandler handler) : Endpoint<Request, CompanyState>
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
        var command = new CompanyCommand.SetProfile(req.Name!.Trim(), req.Domicile!);
        await Send.ResultAsync(new Outcome<CompanyState>(await handler.HandleAsync(command, Actor.From(User), ct), null).ToResult(HttpContext));
    }
}
