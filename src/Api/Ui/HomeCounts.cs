using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Deployments.List;
using Governance.Api.Features.Reports;
using Governance.Api.Infrastructure;
using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;
using Marten;

namespace Governance.Api.Ui;

/// <summary>A license threshold on company figures, as a line on the home chart.</summary>
public sealed record ThresholdLine(string License, ThresholdMetric Metric, decimal MonthlyValue, string Label);

/// <summary>
/// The home page's numbers. Each is a count (or a list of short strings) computed by PostgreSQL: the home page never
/// loads deployments into memory, whatever their number.
/// </summary>
public sealed record HomeCounts(
    long PendingReview, long ReviewRequired, IReadOnlyList<(string Reason, int Count)> ReviewByReason, long NonCompliant,
    long WaiversLapsing30, long ApprovedWithoutAttestation, long ReportsThisMonth,
    IReadOnlyList<Policies.MonthlyFigures> Figures, IReadOnlyList<ThresholdLine> Thresholds)
{
    public static async Task<HomeCounts> LoadAsync(IQuerySession session, PolicySet policies, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monthStart = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var lapsingBy = today.AddDays(30);
        var deployments = session.Query<DeploymentView>();

        var batch = session.CreateBatchQuery();
        var pending = batch.Query<DeploymentView>().Where(d => d.Status == DeploymentStatus.PendingReview).Count();
        var review = batch.Query<DeploymentView>().Where(d => d.Status == DeploymentStatus.ReviewRequired).Count();
        var nonCompliant = batch.Query<DeploymentView>()
            .Where(d => d.Status != DeploymentStatus.Retired && d.Assessment!.Verdict == Verdict.NonCompliant).Count();
        var lapsing = batch.Query<DeploymentView>().Where(d => d.NextWaiverExpiry != null && d.NextWaiverExpiry <= lapsingBy).Count();
        var unattested = batch.Query<DeploymentView>().Where(d => d.Status == DeploymentStatus.Approved)
            .Where(PortfolioQuery.WithoutValidAttestation).Count();
        var reports = batch.Query<ReportView>().Where(r => r.IssuedAt >= monthStart).Count();
        var company = batch.Load<CompanyState>(CompanyState.StreamId);
        await batch.Execute(ct);

        var triggers = await deployments.Where(d => d.Status == DeploymentStatus.ReviewRequired)
            .Select(d => d.ReviewTrigger!).ToListAsync(ct);
        var byReason = triggers.GroupBy(InboxReason.OfTrigger).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ToList();
        var licenses = await deployments.Where(d => d.Status != DeploymentStatus.Retired).Select(d => d.Model.LicenseId).Distinct().ToListAsync(ct);

        return new HomeCounts(await pending, await review, byReason, await nonCompliant, await lapsing, await unattested, await reports,
            (await company)?.Usage ?? [], ThresholdsOf(policies.Catalog, licenses));
    }

    /// <summary>Company-wide user and revenue limits of the licenses in use, as monthly figures (an annual revenue limit ÷ 12).</summary>
    public static IReadOnlyList<ThresholdLine> ThresholdsOf(LicenseCatalog catalog, IEnumerable<string> licenseIds) =>
        licenseIds.Select(catalog.Find).OfType<License>()
            .SelectMany(l => l.Clauses.Select(c => c.Rule).OfType<ThresholdRule>()
                .SelectMany(r => r.Conditions.Where(c => c.Scope == ThresholdScope.Company).Select(c => c.Metric switch
                {
                    ThresholdMetric.MonthlyActiveUsers => new ThresholdLine(l.Name, c.Metric, c.Limit, $"{l.Name}: {Format.Short(c.Limit)} users"),
                    ThresholdMetric.MonthlyRevenueUsd => new ThresholdLine(l.Name, c.Metric, c.Limit, $"{l.Name}: {Format.Money(c.Limit)}/month"),
                    _ => new ThresholdLine(l.Name, c.Metric, c.Limit / 12, $"{l.Name}: {Format.Money(c.Limit)}/year"),
                })))
            .DistinctBy(t => (t.License, t.Metric, t.MonthlyValue))
            .ToList();
}
