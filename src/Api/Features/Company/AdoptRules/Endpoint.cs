using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Policies;

namespace Governance.Api.Features.Company.AdoptRules;

public sealed class Request
{
    /// <summary>Where each class of data may be processed, as region patterns (<c>eu-*</c>).</summary>
    public List<ResidencyRequest>? Residency { get; set; }
    /// <summary>ISO 3166-1 alpha-2 countries whose models the company does not deploy.</summary>
    public List<string>? DeniedOrigins { get; set; }
    /// <summary>Whether every deployment needs a signed scanner attestation of its artifact.</summary>
    public bool? AttestationRequired { get; set; }
}

public sealed class ResidencyRequest
{
    public string? DataClass { get; set; }
    public List<string>? AllowedRegions { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Residency).NotNull();
        RuleFor(x => x.Residency).Must(l => l is null || l.Count <= InputLimits.MaxListItems).WithMessage($"At most {InputLimits.MaxListItems} residency rules.");
        RuleFor(x => x.DeniedOrigins).Must(l => l is null || l.Count <= 300).WithMessage("At most 300 denied origins.");
        RuleForEach(x => x.Residency).NotNull().ChildRules(r =>
        {
            r.RuleFor(x => x.DataClass).NotEmpty().Matches("^[a-z0-9][a-z0-9_-]{0,62}$");
            r.RuleFor(x => x.AllowedRegions).NotEmpty().Must(l => l is null || l.Count <= InputLimits.MaxListItems);
            r.RuleForEach(x => x.AllowedRegions).NotEmpty().Matches(@"^[a-z0-9*][a-z0-9*-]{0,62}$")
                .WithMessage("Region patterns are lowercase region names where '*' matches anything, e.g. 'eu-*'.");
        });
        RuleFor(x => x.Residency).Must(r => r is null || r.Where(x => x is not null).Select(x => x.DataClass).Distinct().Count() == r.Count)
            .WithMessage("Each data class may appear once.");
        RuleFor(x => x.DeniedOrigins).NotNull();
        RuleForEach(x => x.DeniedOrigins).Must(Countries.IsCountry).WithMessage("Denied origins must be ISO 3166-1 alpha-2 codes, e.g. 'CN'.");
        RuleFor(x => x.AttestationRequired).NotNull();
    }
}

/// <summary>Legal adopts the company's rules; they replace the previous ones as a whole, and open deployments are re-assessed.</summary>
public sealed class Endpoint(CompanyHandler handler) : Endpoint<Request, CompanyChange>
{
    public override void Configure()
    {
        Put("/company/rules");
        this.Allow(Role.Legal, Role.Admin);
        Summary(s => s.Summary = "Adopt company rules: data residency, denied origins, mandatory attestation");
        Description(b => b.ProducesProblem(400).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var command = new CompanyCommand.AdoptRules(req.Residency!.Select(r => new ResidencyRule(r.DataClass!, r.AllowedRegions!)).ToList(), req.DeniedOrigins!,
            req.AttestationRequired!.Value);
        await Send.ResultAsync(new Outcome<CompanyChange>(await handler.HandleAsync(command, Actor.From(User), ct), null).ToResult(HttpContext));
    }
}
