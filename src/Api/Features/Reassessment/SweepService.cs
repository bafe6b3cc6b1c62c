using Governance.Api.Features.Assessing;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reassessment;

/// <summary>What the calendar and the catalog change without anyone asking, run at start-up and then every few minutes.</summary>
public sealed class SweepService(IDocumentStore store, PolicySet policies, TimeProvider clock, ILogger<SweepService> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var changed = await ReassessmentTriggers.Sweep(session, await AssessmentBasis.LoadAsync(session, policies, ct), clock.GetUtcNow(), ct);
        await session.SaveChangesAsync(ct);
        if (changed > 0) log.LogInformation("Sweep re-assessed {Count} deployment(s)", changed);
        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A concurrent write wins over the sweep; the next round picks the deployment up again.
                log.LogWarning(ex, "Sweep failed; retrying in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
