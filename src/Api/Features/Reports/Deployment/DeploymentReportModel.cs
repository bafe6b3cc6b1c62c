using System.Globalization;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Scanners;
using Governance.Api.Infrastructure;
using Governance.Pdf;
using Governance.Policies.Catalog;
using JasperFx.Events;
using Marten;

namespace Governance.Api.Features.Reports.Deployment;

/// <summary>
/// Everything a deployment report shows, as it stood at <see cref="AsOf"/>: replayed from the events, never rebuilt.
/// The audit trail has no bound (a stream of 10,000 events is a 300-page report), so its rows are streamed from the
/// database into <see cref="RowSpool"/>s on disk; the temporary files go when the model is disposed.
/// </summary>
public sealed record DeploymentReportModel(
    Guid ReportId,
    DateTimeOffset IssuedAt,
    Actor IssuedBy,
    DateTimeOffset AsOf,
    DeploymentView Deployment,
    License? License,
    string CurrentCatalogVersion,
    CompanyState Company,
    Policies.CompanyRules RulesInForce,
    bool DefaultRules,
    ScannerState? Scanner) : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every event, oldest first: number, time, actor, event type, summary.</summary>
    public RowSpool Trail { get; } = new();

    /// <summary>Approvals, rejections, reviews required, lapsed waivers and retirement: time, by, decision.</summary>
    public RowSpool Decisions { get; } = new();

    public static async Task<DeploymentReportModel?> LoadAsync(
        IQuerySession session, PolicySet policies, Guid id, DateTimeOffset? asOf, Guid reportId, DateTimeOffset issuedAt, Actor issuedBy,
        CancellationToken ct)
    {
        var deployment = asOf is { } instant ? await DeploymentHistory.AsOfAsync(session, id, instant, ct) : await session.LoadAsync<DeploymentView>(id, ct);
        if (deployment is null) return null;
        var company = await session.Events.AggregateStreamAsync<CompanyState>(CompanyState.StreamId, timestamp: asOf, token: ct) ?? new CompanyState();
        var scanner = deployment.Attestation is { } a
            ? await session.Events.AggregateStreamAsync<ScannerState>(a.ScannerId, timestamp: asOf, token: ct)
            : null;
        var model = new DeploymentReportModel(reportId, issuedAt, issuedBy, asOf ?? issuedAt, deployment,
            policies.Catalog.Find(deployment.Model.LicenseId), policies.Version,
            company, company.Rules ?? policies.DefaultRules, company.Rules is null, scanner);
        try
        {
            // Up to the version the view was read at, so the trail and the rest of the report describe the same instant
            // even when the deployment is written to while the report is made.
            var events = session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == id && e.Version <= deployment.Version)
                .OrderBy(e => e.Version);
            DateTimeOffset? last = null;
            await foreach (var e in events.ToAsyncEnumerable(ct))
            {
                model.Add(e);
                last = e.Timestamp;
            }
            // "Now" is the instant of the last event described, so the same history always reads the same.
            return asOf is null && last is { } at ? model with { AsOf = at } : model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Writes one event's rows; events arrive oldest first.</summary>
    public void Add(IEvent e)
    {
        Trail.Add(e.Version.ToString(Inv), Cell(e.Timestamp), ActorOf(e.Data), e.EventTypeName, EventSummary.Of(e.Data));
        if (e.Data is DeploymentApproved or DeploymentRejected or DeploymentReviewRequired or WaiverLapsed or DeploymentRetired)
            Decisions.Add(Cell(e.Timestamp), ActorOf(e.Data), EventSummary.Of(e.Data));
    }

    private static string ActorOf(object data) => data is IRecordedEvent r ? $"{r.By.Name} ({r.By.Role})" : "Governance (system)";

    /// <summary>Table cells say UTC in the column header, so the time fits on one line.</summary>
    private static string Cell(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv);

    public void Dispose()
    {
        Trail.Dispose();
        Decisions.Dispose();
    }
}
