using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Company.Get;

public sealed record Response(CompanyView Company, Policies.CompanyRules RulesInForce, bool DefaultRules);

public sealed class Endpoint(IQuerySession session, PolicySet policies) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/company");
        this.Allow(Role.Admin, Role.Legal, Role.Architect, Role.Auditor);
        Summary(s => s.Summary = "The company's profile, reported usage and the rules in force");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var company = await session.LoadAsync<CompanyView>(CompanyView.StreamId, ct) ?? new CompanyView();
        await Send.OkAsync(new Response(company, company.Rules ?? policies.DefaultRules, company.Rules is null), ct);
    }
}
