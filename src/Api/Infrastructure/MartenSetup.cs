using Governance.Api.Events;
using Governance.Api.Features.Company;
using Governance.Api.Features.Scanners;
using Governance.Api.Features.Deployments;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Core;

namespace Governance.Api.Infrastructure;

/// <summary>The one Marten configuration, shared by the Api and the benchmarks that compare against a bare append.</summary>
public static class MartenSetup
{
    /// <summary>The PostgreSQL schema every Marten table lives in.</summary>
    public const string Schema = "governance";

    public static StoreOptions Options(string connectionString, TimeProvider clock, EventAppendMode appendMode = EventAppendMode.QuickWithServerTimestamps)
    {
        var options = new StoreOptions();
        options.Connection(connectionString);
        options.DatabaseSchemaName = Schema;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            configure: json => json.Converters.Add(new YearMonthJsonConverter()));
        // Every stored event type, known up front so old events read back whatever the process has appended since it started.
        options.Events.AddEventTypes(StoredEvents.Types);
        // Write models and read models live in the same transaction as the events: what a request writes, the next one reads.
        options.Projections.Snapshot<DeploymentState>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<DeploymentView>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<CompanyState>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<ScannerState>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<Features.Reassessment.CalendarState>(SnapshotLifecycle.Inline);
        options.Schema.For<Features.Reassessment.ReassessmentRun>().Index(r => r.QueuedAt);
        options.Schema.For<DeploymentCheckpoint>().Duplicate(c => c.StreamId).Duplicate(c => c.Timestamp);
        options.Events.Subscribe(new DeploymentCheckpoints());
        options.Projections.Snapshot<Features.Reports.ReportView>(SnapshotLifecycle.Inline);
        options.Schema.For<Features.Reports.ReportView>().Index(r => r.Sha256).Index(r => r.IssuedAt);
        // Columns (and indexes) of their own for what lists filter and order by, and what the background work looks up,
        // so a page or a sweep costs the same at 100 deployments as at 100,000 (docs/performance.md).
        options.Schema.For<DeploymentView>()
            .Duplicate(d => d.RegisteredAt).Duplicate(d => d.Status).Duplicate(d => d.Assessment!.Verdict).Duplicate(d => d.Model.LicenseId)
            .Duplicate(d => d.NextWaiverExpiry).Duplicate(d => d.UpdatedAt)
            // The filters lists combine, in one index: a filtered count reads it alone instead of every row's page
            // (at 100,000, status and license: 3 ms instead of 70; docs/performance.md, "Portfolio scale").
            .Index([d => d.Status, d => d.Assessment!.Verdict, d => d.Model.LicenseId], i => i.Name = "mt_doc_deploymentview_idx_filters")
            // The console's sort by name (at 100,000, filtered and sorted: 141 ms sorting the matches, 7.5 ms reading the index).
            .Duplicate(d => d.Name);
        // The versions an assessment was made under get columns but no index: every company change rewrites them on every
        // open deployment, and an indexed column that changes makes PostgreSQL write a new entry in every index of the row;
        // unindexed, a confirmation that changes nothing else stays on its page (a heap-only update, StorageTuning). No
        // index could serve the one filter on them anyway ("assessed under another catalog or an older company": <> and OR).
        options.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType != typeof(DeploymentView)) return;
            var assessment = typeof(DeploymentView).GetProperty(nameof(DeploymentView.Assessment))!;
            foreach (var version in new[] { nameof(AssessmentView.CatalogVersion), nameof(AssessmentView.CompanyVersion) })
                mapping.DuplicateField([assessment, typeof(AssessmentView).GetProperty(version)!]);
        });
        // The console's search: names and model names with trigram indexes, in a table only registrations write (DeploymentSearch).
        options.Projections.Snapshot<Features.Deployments.List.DeploymentSearch>(SnapshotLifecycle.Inline);
        options.Schema.For<Features.Deployments.List.DeploymentSearch>().Duplicate(s => s.Name, configure: Trigram).Duplicate(s => s.ModelName, configure: Trigram);
        options.Storage.ExtendedSchemaObjects.Add(new Weasel.Postgresql.Extension("pg_trgm"));
        options.Schema.For<DeploymentState>()
            .Duplicate(d => d.Status).Duplicate(d => d.HasValidAttestation).Duplicate(d => d.NextWaiverExpiry)
            .Duplicate(d => d.Assessment!.CatalogVersion).Duplicate(d => d.Attestation!.KeyId);
        options.Schema.For<IdempotencyRecord>();
        // Quick append: versions are assigned by a server-side function in one round trip (see docs/performance.md);
        // "with server timestamps" means this server's clock (TimeProvider), so as-of queries line up with the actors' time.
        options.Events.AppendMode = appendMode;
        options.Events.UseIdentityMapForAggregates = true;
        options.Events.TimeProvider = clock;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        return options;
    }

    private static void Trigram(Marten.Schema.DocumentIndex index) => (index.Method, index.Mask) = (Weasel.Postgresql.Tables.IndexMethod.gin, "? gin_trgm_ops");
}
