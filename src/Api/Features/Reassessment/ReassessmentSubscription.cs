using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Scanners;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace Governance.Api.Features.Reassessment;

/// <summary>
/// Marten's async daemon (HotCold: one replica at a time, another takes over if it dies) pushes the events that call for
/// a re-assessment here, in order, and records how far it got in the same database: a change made on any replica is
/// re-assessed once, and a restart resumes from the last page (and each run from its cursor).
/// </summary>
public sealed class ReassessmentSubscription : SubscriptionBase
{
    private readonly Reassessor _reassessor;

    public ReassessmentSubscription(Reassessor reassessor)
    {
        _reassessor = reassessor;
        Name = "Reassessment";
        foreach (var type in CompanyEvents.Types) IncludeType(type);
        IncludeType<ScannerKeyRevoked>();
        IncludeType<SweepDue>();
        // Every assessment passes by, to catch one that rests on a company or catalog changed meanwhile.
        IncludeType<DeploymentAssessed>();
        IncludeType<AssessmentConfirmed>();
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var store = operations.DocumentStore;
        var assessed = new Dictionary<Guid, (string Catalog, long? Company)>();
        foreach (var e in page.Events)
            switch (e.Data)
            {
                case CompanyProfileSet or CompanyUsageReported or CompanyRulesAdopted:
                    await _reassessor.CompanyChangedAsync(store, CompanyHandler.RunId(e.Version), e.Version, cancellationToken);
                    break;
                case ScannerKeyRevoked revoked:
                    await _reassessor.KeyRevokedAsync(store, ScannerHandler.RunId(revoked.ScannerId), revoked.KeyId, revoked.Reason, cancellationToken);
                    break;
                case SweepDue due:
                    await _reassessor.SweepAsync(store, CalendarState.RunId(due), cancellationToken);
                    break;
                case DeploymentAssessed a:
                    assessed[e.StreamId] = (a.CatalogVersion, a.CompanyVersion);
                    break;
                case AssessmentConfirmed c:
                    assessed[e.StreamId] = (c.CatalogVersion, c.CompanyVersion);
                    break;
            }
        await _reassessor.ConvergeAsync(store, assessed, cancellationToken);
        return NullChangeListener.Instance;
    }
}
