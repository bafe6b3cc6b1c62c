using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Reassessment;
using Governance.Api.Features.Reports;
using Governance.Api.Features.Scanners;

namespace Governance.Api.Events;

/// <summary>Every event type Governance stores, stream by stream: what Marten registers and what the stored-shape tests read back.</summary>
public static class StoredEvents
{
    public static readonly IReadOnlyList<Type> Types =
        [.. DeploymentEvents.Types, .. CompanyEvents.Types, .. ScannerEvents.Types, typeof(ReportIssued), .. CalendarEvents.Types];
}
