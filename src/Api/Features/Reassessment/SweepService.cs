using Governance.Api.Infrastructure;
using JasperFx;
using Marten;
using Marten.Exceptions;

namespace Governance.Api.Features.Reassessment;

/// <summary>
/// Says, once an hour (and when the process starts with another catalog), that a sweep is due; the re-assessment
/// subscription then lapses waivers and re-assesses what the catalog change affects, in the background, on one replica.
/// </summary>
public sealed class SweepService(IDocumentStore store, PolicySet policies, TimeProvider clock, ILogger<SweepService> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>Records a due sweep unless this slot and catalog already have one. Returns the run it queued, if any.</summary>
    public async Task<string?> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var calendar = await session.Events.FetchForWriting<CalendarState>(CalendarState.StreamId, ct);
        var slot = CalendarState.SlotOf(now);
        if (calendar.Aggregate is { } state && !state.IsDue(slot, policies.Version)) return null;

        var due = new SweepDue(slot, policies.Version, Actor.System, now);
        calendar.AppendOne(due);
        session.Store(ReassessmentRun.Queue(CalendarState.RunId(due), "sweep", Actor.System, now));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is ConcurrencyException or ExistingStreamIdCollisionException)
        {
            return null; // another replica recorded it first
        }
        log.LogInformation("Sweep due for {Slot:u} (catalog {Catalog})", slot, policies.Version);
        return CalendarState.RunId(due);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Could not record a due sweep; trying again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
