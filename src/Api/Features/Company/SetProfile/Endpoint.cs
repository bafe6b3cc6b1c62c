using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Marten;

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

[Refuses(409)]
public sealed class Endpoint(IDocumentSession session, Assessor assessor, TimeProvider clock) : Endpoint<Request, CompanyView>
{
    public override void Configure()
    {
        Put("/company");
        this.Allow(Role.Admin, Role.Legal);
        Summary(s => s.Summary = "Set the company's name and domicile; open deployments are re-assessed");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (now, by) = (clock.GetUtcNow(), Actor.From(User));
        var company = await CompanyStream.Change(session, assessor, new CompanyProfileSet(req.Name!.Trim(), req.Domicile!, by, now), "company-profile-set", ct);
        await Send.OkAsync(company, ct);
    }
}
