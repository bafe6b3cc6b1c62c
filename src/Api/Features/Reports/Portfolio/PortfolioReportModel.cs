using System.Globalization;
using Governance.Api.Features.Deployments;
using Governance.Pdf;
using Governance.Policies;
using Governance.Policies.Evaluation;
using Marten;

namespace Governance.Api.Features.Reports.Portfolio;

/// <summary>
/// The portfolio as the report shows it, gathered in one streamed pass over the deployments: the summary's tallies
/// in memory (a few counters and one per license), every table's rows in a <see cref="RowSpool"/> on disk. Memory
/// stays the same at 100 deployments and at 1,000,000; the temporary files go when the model is disposed.
/// </summary>
public sealed class PortfolioReportModel(Guid reportId, DateTimeOffset issuedAt, Actor issuedBy, string companyName) : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public Guid ReportId => reportId;
    public DateTimeOffset IssuedAt => issuedAt;
    public Actor IssuedBy => issuedBy;
    public string CompanyName => companyName;
    public DateOnly Today { get; } = DateOnly.FromDateTime(issuedAt.UtcDateTime);

    public int Total { get; private set; }
    public int InService { get; private set; }
    public Dictionary<DeploymentStatus, int> ByStatus { get; } = [];
    /// <summary>In service.</summary>
    public Dictionary<Verdict, int> ByVerdict { get; } = [];
    public int NotAssessed { get; private set; }
    public Dictionary<string, int> ByLicense { get; } = [];
    public int Obligations { get; private set; }
    public int WithObligations { get; private set; }
    public int OpenBlocking { get; private set; }
    public int NonCompliant { get; private set; }
    public int WaiversWithin30 { get; private set; }
    public int WaiversWithin90 { get; private set; }
    public int Attested { get; private set; }
    public int OldestAttestationDays { get; private set; }

    /// <summary>Every deployment, in service first, then by name: deployment, model · license, status, verdict, obligations, next waiver expiry, scan age.</summary>
    public RowSpool Deployments { get; } = new();

    /// <summary>Waivers of deployments in service expiring in the next 90 days (or already past), soonest first.</summary>
    public RowSpool ExpiringWaivers { get; } = new();

    /// <summary>In service and non-compliant or awaiting review: deployment, status, why.</summary>
    public RowSpool Attention { get; } = new();

    /// <summary>Streams the deployments from the database into a new model; the caller disposes it.</summary>
    public static async Task<PortfolioReportModel> LoadAsync(
        IQuerySession session, Guid reportId, DateTimeOffset issuedAt, Actor issuedBy, string companyName, CancellationToken ct)
    {
        var model = new PortfolioReportModel(reportId, issuedAt, issuedBy, companyName);
        try
        {
            // In service first, then the retired: the status column is indexed, the name order is the database's (C collation: ordinal).
            IQueryable<DeploymentView>[] parts =
            [
                session.Query<DeploymentView>().Where(d => d.Status != DeploymentStatus.Retired),
                session.Query<DeploymentView>().Where(d => d.Status == DeploymentStatus.Retired),
            ];
            foreach (var part in parts)
                await foreach (var deployment in part.OrderBy(d => d.Name).ThenBy(d => d.Id).ToAsyncEnumerable(ct)) model.Add(deployment);
            var within = model.Today.AddDays(90);
            var table = session.DocumentStore.Options.Schema.For<DeploymentView>();
            // Soonest first across the whole portfolio: PostgreSQL sorts (spilling to disk if it must), we only stream.
            var expiring = session.AdvancedSql.StreamAsync<ExpiringWaiver>(
                $"""
                 select json_build_object('deployment', d.data ->> 'name', 'findingCode', w ->> 'findingCode',
                                          'expiresOn', w ->> 'expiresOn', 'reason', w ->> 'reason')
                 from {table} d cross join lateral jsonb_array_elements(d.data -> 'waivers') w
                 where d.next_waiver_expiry <= ? and d.status <> ? and (w ->> 'expiresOn')::date <= ?
                 order by (w ->> 'expiresOn')::date, d.data ->> 'name', d.id, w ->> 'findingCode'
                 """, ct, within, nameof(DeploymentStatus.Retired), within);
            await foreach (var waiver in expiring) model.Add(waiver);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public sealed record ExpiringWaiver(string Deployment, string FindingCode, DateOnly ExpiresOn, string Reason);

    /// <summary>Counts one deployment and writes its rows. Deployments arrive in the order the report lists them.</summary>
    public void Add(DeploymentView x)
    {
        Total++;
        ByStatus[x.Status] = ByStatus.GetValueOrDefault(x.Status) + 1;
        var findings = x.Assessment?.Findings ?? [];
        var obligations = findings.Where(f => f.Severity == Severity.Obligation).Select(f => f.Code).ToList();
        Deployments.Add(
            x.Name, $"{x.Model.Name} · {x.Model.LicenseId}", Naming.Words(x.Status), x.Assessment is { } a ? Naming.Words(a.Verdict) : "—",
            string.Join(", ", obligations.Distinct()), x.NextWaiverExpiry?.ToString("yyyy-MM-dd", Inv) ?? "—",
            x.Attestation?.Valid == true ? $"{Age(x)} d" : "none");
        if (x.Status == DeploymentStatus.Retired) return;

        InService++;
        if (x.Assessment is { } assessed) ByVerdict[assessed.Verdict] = ByVerdict.GetValueOrDefault(assessed.Verdict) + 1;
        else NotAssessed++;
        ByLicense[x.Model.LicenseId] = ByLicense.GetValueOrDefault(x.Model.LicenseId) + 1;
        Obligations += obligations.Count;
        if (obligations.Count > 0) WithObligations++;
        OpenBlocking += findings.Count(f => f.IsOpenBlocking());
        if (x.Assessment?.Verdict == Verdict.NonCompliant) NonCompliant++;
        WaiversWithin30 += x.Waivers.Count(w => w.ExpiresOn >= Today && w.ExpiresOn <= Today.AddDays(30));
        WaiversWithin90 += x.Waivers.Count(w => w.ExpiresOn >= Today && w.ExpiresOn <= Today.AddDays(90));
        if (x.Attestation?.Valid == true)
        {
            Attested++;
            OldestAttestationDays = Math.Max(OldestAttestationDays, Age(x));
        }
        if (x.Status == DeploymentStatus.ReviewRequired || x.Assessment?.Verdict == Verdict.NonCompliant)
            Attention.Add(x.Name, Naming.Words(x.Status),
                x.ReviewReason ?? string.Join(" ", findings.Where(f => f.IsOpenBlocking()).Select(f => $"[{f.Code}] {f.Message}")));
    }

    public void Add(ExpiringWaiver w) =>
        ExpiringWaivers.Add(w.Deployment, w.FindingCode, w.ExpiresOn.ToString("yyyy-MM-dd", Inv), w.ExpiresOn <= Today.AddDays(30) ? "30 days" : "90 days", w.Reason);

    private int Age(DeploymentView x) => x.Attestation is { } a ? Math.Max(0, (int)(issuedAt - a.Predicate.ScannedAt).TotalDays) : 0;

    public void Dispose()
    {
        Deployments.Dispose();
        ExpiringWaivers.Dispose();
        Attention.Dispose();
    }
}
