using Governance.Api.Features.Company;
using Marten;

namespace Governance.Api.Features.Deployments;

/// <summary>
/// What the calendar and the catalog change without anyone asking: waivers that reach their expiry date lapse
/// (the deployment is re-assessed and, if approved, sent to review), and deployments last assessed against
/// another catalog version are re-assessed against the one loaded now.
/// </summary>
public sealed class WaiverSweep(IDocumentStore store, Assessor assessor, TimeProvider clock, ILogger<WaiverSweep> log)
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var session = store.LightweightSession();
        var company = await session.LoadAsync<CompanyView>(CompanyView.StreamId, ct);
        var lapsing = await session.Query<DeploymentView>()
            .Where(d => d.Status != DeploymentStatus.Retired && d.NextWaiverExpiry != null && d.NextWaiverExpiry <= today)
            .ToListAsync(ct);
        var stale = await session.Query<DeploymentView>()
            .Where(d => d.Status != DeploymentStatus.Retired && d.Assessment!.CatalogVersion != assessor.CatalogVersion)
            .ToListAsync(ct);

        var changed = 0;
        foreach (var state in lapsing)
        {
            var lapsed = state.Waivers.Where(w => w.ExpiresOn <= today)
                .Select(w => (object)new WaiverLapsed(state.Id, w.FindingCode, w.ExpiresOn, w.Reason, Actor.System, now)).ToList();
            var first = new List<object>(lapsed);
            // The approval rested on the waiver: once it is gone, legal must look again whatever the findings say.
            if (state.Status == DeploymentStatus.Approved)
                first.Add(new DeploymentReviewRequired(state.Id,
                    $"Waiver(s) lapsed: {string.Join(", ", lapsed.Cast<WaiverLapsed>().Select(l => $"{l.FindingCode} (expired {l.ExpiredOn:yyyy-MM-dd})"))}.",
                    lapsed.Cast<WaiverLapsed>().Select(l => l.FindingCode).Distinct().ToList(), Actor.System, now));
            if (Reassessment.Reassess(session, assessor, state, company, "waiver-lapsed", Actor.System, now, first)) changed++;
        }
        foreach (var state in stale.Where(s => lapsing.All(l => l.Id != s.Id)))
            if (Reassessment.Reassess(session, assessor, state, company, "catalog-changed", Actor.System, now, [])) changed++;

        await session.SaveChangesAsync(ct);
        if (changed > 0) log.LogInformation("Sweep re-assessed {Count} deployment(s)", changed);
        return changed;
    }
}

/// <summary>Runs the sweep at start-up and then every few minutes.</summary>
public sealed class WaiverSweepService(WaiverSweep sweep, TimeProvider clock, ILogger<WaiverSweepService> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await sweep.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A concurrent write wins over the sweep; the next round picks the deployment up again.
                log.LogWarning(ex, "Waiver sweep failed; retrying in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
