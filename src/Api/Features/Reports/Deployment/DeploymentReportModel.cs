using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Scanners;
using Governance.Api.Infrastructure;
using Governance.Policies.Catalog;
using JasperFx.Events;
using Marten;

namespace Governance.Api.Features.Reports.Deployment;

/// <summary>Everything a deployment report shows, as it stood at <see cref="AsOf"/>: replayed from the events, never rebuilt.</summary>
public sealed record DeploymentReportModel(
    Guid ReportId,
    DateTimeOffset IssuedAt,
    Actor IssuedBy,
    DateTimeOffset AsOf,
    DeploymentView Deployment,
    IReadOnlyList<IEvent> Events,
    License? License,
    string CurrentCatalogVersion,
    CompanyState Company,
    Policies.CompanyRules RulesInForce,
    bool DefaultRules,
    ScannerState? Scanner)
{
    public static async Task<DeploymentReportModel?> LoadAsync(
        IQuerySession session, PolicySet policies, Guid id, DateTimeOffset? asOf, Guid reportId, DateTimeOffset issuedAt, Actor issuedBy,
        CancellationToken ct)
    {
        var deployment = asOf is { } instant ? await DeploymentHistory.AsOfAsync(session, id, instant, ct) : await session.LoadAsync<DeploymentView>(id, ct);
        if (deployment is null) return null;
        var events = await session.Events.FetchStreamAsync(id, timestamp: asOf, token: ct);
        var company = await session.Events.AggregateStreamAsync<CompanyState>(CompanyState.StreamId, timestamp: asOf, token: ct) ?? new CompanyState();
        var scanner = deployment.Attestation is { } a
            ? await session.Events.AggregateStreamAsync<ScannerState>(a.ScannerId, timestamp: asOf, token: ct)
            : null;
        // "Now" is the instant of the last event described, so the same history always reads the same.
        var describedAt = asOf ?? (events.Count > 0 ? events[^1].Timestamp : issuedAt);
        return new DeploymentReportModel(reportId, issuedAt, issuedBy, describedAt, deployment, events,
            policies.Catalog.Find(deployment.Model.LicenseId), policies.Version,
            company, company.Rules ?? policies.DefaultRules, company.Rules is null, scanner);
    }
}
