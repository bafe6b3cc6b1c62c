using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Company.Get;

public sealed record Response(CompanyState Company, Policies.CompanyRules RulesInForce, bool DefaultRules);

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
        var company = await session.LoadAsync<CompanyState>(CompanyState.StreamId, ct) ?? new CompanyState();
        await Send.OkAsync(new Response(company, company.Rules ?? policies.DefaultRules, company.Rules is null), ct);
    }
}
