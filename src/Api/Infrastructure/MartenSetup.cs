using Governance.Api.Features.Company;
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
    /// <summary><c>Governance:Events:AppendMode</c>: <c>quick</c> (default) or <c>rich</c>.</summary>
    public static EventAppendMode AppendMode(IConfiguration configuration) =>
        configuration["Governance:Events:AppendMode"]?.ToLowerInvariant() switch
        {
            null or "" or "quick" => EventAppendMode.Quick,
            "rich" => EventAppendMode.Rich,
            var other => throw new InvalidOperationException($"Governance:Events:AppendMode must be 'quick' or 'rich', not '{other}'."),
        };

    public static StoreOptions Options(string connectionString, EventAppendMode appendMode = EventAppendMode.Quick)
    {
        var options = new StoreOptions();
        options.Connection(connectionString);
        options.DatabaseSchemaName = "governance";
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
            configure: json => json.Converters.Add(new YearMonthJsonConverter()));
        // Read models live in the same transaction as the events: what a request writes, the next one reads.
        options.Projections.Snapshot<DeploymentView>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<CompanyView>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<Features.Scanners.ScannerView>(SnapshotLifecycle.Inline);
        options.Projections.Snapshot<Features.Reports.ReportView>(SnapshotLifecycle.Inline);
        options.Schema.For<Features.Reports.ReportView>().Index(r => r.Sha256);
        options.Schema.For<DeploymentView>().Index(d => d.RegisteredAt);
        options.Schema.For<IdempotencyRecord>();
        // Quick append: versions are assigned by a server-side function in one round trip (see docs/performance.md).
        options.Events.AppendMode = appendMode;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        return options;
    }
}
