using Governance.Api.Features.Assessing;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using JasperFx;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Options;

namespace Governance.Api.Features.Reassessment;

/// <summary>
/// Re-assesses the deployments a change affects, in the background: in batches of many streams per transaction, each
/// deployment at its current version, against the company and catalog in force when its batch runs. A batch that loses
/// a race with a concurrent write is redone one deployment at a time, each retried until it lands; the change that
/// triggered the run never fails. Progress is kept on the run, so a run resumes where it stopped.
/// </summary>
public sealed class Reassessor(PolicySet policies, IOptions<GovernanceOptions> options, TimeProvider clock, ILogger<Reassessor> log)
{
    private const int Attempts = 10;
    private ReassessmentOptions Settings => options.Value.Reassessment;

    /// <summary>The company changed: every open deployment, unless a later company change already supersedes this one.</summary>
    public Task CompanyChangedAsync(IDocumentStore store, string runId, long companyVersion, CancellationToken ct) =>
        RunAsync(store, runId, d => d.Status != DeploymentStatus.Retired, (d, run) => new DeploymentCommand.Reassess(d.Id, run.Trigger), ct,
            supersededBy: basis => basis.CompanyVersion > companyVersion ? $"company-{basis.CompanyVersion}" : null);

    /// <summary>A scanner key was revoked: the deployments whose valid attestation it signed.</summary>
    public Task KeyRevokedAsync(IDocumentStore store, string runId, string keyId, string reason, CancellationToken ct) =>
        RunAsync(store, runId, d => d.HasValidAttestation && d.Attestation!.KeyId == keyId,
            (d, _) => new DeploymentCommand.WithdrawAttestation(d.Id, keyId, $"Scanner key {keyId} revoked: {reason}"), ct);

    /// <summary>
    /// A sweep was due: waivers whose expiry date has come lapse; deployments last assessed against another catalog are
    /// assessed again. Lapsing re-assesses against the current catalog too, so one command per deployment covers both.
    /// </summary>
    public Task SweepAsync(IDocumentStore store, string runId, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var catalog = policies.Version;
        return RunAsync(store, runId,
            d => d.Status != DeploymentStatus.Retired && ((d.NextWaiverExpiry != null && d.NextWaiverExpiry <= today) || d.Assessment!.CatalogVersion != catalog),
            (d, _) => d.NextWaiverExpiry <= today ? new DeploymentCommand.LapseWaivers(d.Id) : new DeploymentCommand.Reassess(d.Id, "catalog-changed"), ct);
    }

    /// <summary>
    /// Deployments whose latest assessment rests on an older company or another catalog than the one in force: those
    /// written while a run passed them, or by a replica that read the company just before it changed. Re-assessed
    /// one by one, so every open deployment converges on the versions in force.
    /// </summary>
    /// <param name="assessedUnder">Each deployment's latest assessment seen, with the versions it was made under.</param>
    public async Task<int> ConvergeAsync(IDocumentStore store, IReadOnlyDictionary<Guid, (string Catalog, long? Company)> assessedUnder, CancellationToken ct)
    {
        if (assessedUnder.Count == 0) return 0;
        AssessmentBasis basis;
        ReassessmentRun? inForce;
        await using (var query = store.QuerySession())
        {
            basis = await AssessmentBasis.LoadAsync(query, policies, ct, options.Value.Scans);
            inForce = basis.CompanyVersion is { } version ? await query.LoadAsync<ReassessmentRun>(Company.CompanyHandler.RunId(version), ct) : null;
        }
        // The run of the company change in force re-assesses, in batches, every open deployment it has not reached yet
        // (it goes in id order): leave those to it. Otherwise a change recorded while the previous run's events are still
        // passing by here would be done one deployment at a time, before its run gets to them.
        bool LeftToTheRun(Guid id) => inForce?.Status == RunStatus.Queued
            || (inForce?.Status == RunStatus.Running && (inForce.Cursor is not { } cursor || string.CompareOrdinal(id.ToString(), cursor.ToString()) > 0));
        var converged = 0;
        foreach (var id in assessedUnder.Where(a => a.Value.Catalog != basis.CatalogVersion || (a.Value.Company ?? -1) < basis.CompanyVersion)
                     .Select(a => a.Key).Where(id => !LeftToTheRun(id)))
            if (await OneAsync(store, id, (state, basis) => DeploymentDecider.IsOutdated(state, basis)
                    ? new DeploymentCommand.Reassess(id, state.Assessment?.CatalogVersion != basis.CatalogVersion ? "catalog-changed" : "company-changed")
                    : null, ct) is { Events.Count: > 0 })
                converged++;
        return converged;
    }

    private async Task RunAsync(IDocumentStore store, string runId, System.Linq.Expressions.Expression<Func<DeploymentState, bool>> scope,
        Func<DeploymentState, ReassessmentRun, DeploymentCommand> command, CancellationToken ct, Func<AssessmentBasis, string?>? supersededBy = null)
    {
        var run = await LoadRunAsync(store, runId, ct);
        if (run.Status is RunStatus.Finished or RunStatus.Superseded) return;

        while (true)
        {
            var timing = System.Diagnostics.Stopwatch.StartNew();
            await using var session = store.LightweightSession();
            var basis = await AssessmentBasis.LoadAsync(session, policies, ct, options.Value.Scans);
            if (run.Status == RunStatus.Queued)
            {
                if (supersededBy?.Invoke(basis) is { } later)
                {
                    (run.Status, run.SupersededBy, run.FinishedAt) = (RunStatus.Superseded, later, clock.GetUtcNow());
                    session.Store(run);
                    await session.SaveChangesAsync(ct);
                    return;
                }
                (run.Status, run.StartedAt, run.CompanyVersion, run.CatalogVersion) = (RunStatus.Running, clock.GetUtcNow(), basis.CompanyVersion, basis.CatalogVersion);
                run.Total = await session.Query<DeploymentState>().Where(scope).CountAsync(ct);
            }

            var query = session.Query<DeploymentState>().Where(scope);
            if (run.Cursor is { } cursor) query = query.Where(d => d.MatchesSql("d.id > ?", cursor));
            var batch = await query.OrderBy(d => d.Id).Take(Settings.BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                (run.Status, run.FinishedAt) = (RunStatus.Finished, clock.GetUtcNow());
                session.Store(run);
                await session.SaveChangesAsync(ct);
                log.LogInformation("Re-assessment {Run} finished: {Done} deployment(s), {Changed} changed, {Review} sent to review",
                    run.Id, run.Done, run.Changed, run.SentToReview);
                return;
            }

            var read = timing.Elapsed;
            var context = new DecisionContext(basis, Actor.System, clock.GetUtcNow());
            var tally = new Tally();
            foreach (var state in batch)
            {
                var decision = DeploymentDecider.Decide(command(state, run), state, context);
                if (decision.Events.Count == 0) continue;
                session.Events.Append(state.Id, state.Version + decision.Events.Count, decision.Events);
                tally = tally.With(state, decision);
            }
            // The progress commits with the events it counts: a replica killed after this commit leaves nothing uncounted.
            var next = run.Advanced(batch[^1].Id, batch.Count, tally);
            session.Store(next);
            var decided = timing.Elapsed;
            try
            {
                await session.SaveChangesAsync(ct);
                run = next;
                log.LogDebug("Batch of {Count}: read {Read:0} ms, decided {Decided:0} ms, saved {Saved:0} ms", batch.Count,
                    read.TotalMilliseconds, (decided - read).TotalMilliseconds, (timing.Elapsed - decided).TotalMilliseconds);
            }
            catch (ConcurrencyException)
            {
                // A deployment of this batch was written meanwhile: none of the batch was stored. Redo it one by one,
                // each deployment's events committing with the progress up to it.
                var start = run;
                var sum = new Tally();
                for (var i = 0; i < batch.Count; i++)
                {
                    var (id, done, counted) = (batch[i].Id, i + 1, sum);
                    // Counted against the state the deployment was decided on (not the batch's, which lost the race).
                    var decision = await OneAsync(store, id, (current, _) => command(current, start), ct,
                        alongside: (s, before, d) => s.Store(start.Advanced(id, done, counted = sum.With(before, d))));
                    if (decision is { Events.Count: > 0 }) sum = counted;
                }
                run = start.Advanced(batch[^1].Id, batch.Count, sum);
                await using var progress = store.LightweightSession();
                progress.Store(run);
                await progress.SaveChangesAsync(ct);
            }
            if (Settings.PauseBetweenBatchesMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(Settings.PauseBetweenBatchesMs), clock, ct);
        }
    }

    /// <summary>One deployment, at its current version, retried while other writers win the race.</summary>
    /// <param name="alongside">What else commits with the deployment's events (the run's progress).</param>
    private async Task<Decision?> OneAsync(IDocumentStore store, Guid id, Func<DeploymentState, AssessmentBasis, DeploymentCommand?> command, CancellationToken ct,
        Action<IDocumentSession, DeploymentState, Decision>? alongside = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<DeploymentState>(id, ct);
            if (stream.Aggregate is not { } state) return null;
            var basis = await AssessmentBasis.LoadAsync(session, policies, ct, options.Value.Scans);
            if (command(state, basis) is not { } next) return null;
            var decision = DeploymentDecider.Decide(next, state, new DecisionContext(basis, Actor.System, clock.GetUtcNow()));
            if (decision.Events.Count == 0) return decision;
            stream.AppendMany(decision.Events);
            alongside?.Invoke(session, state, decision);
            try
            {
                await session.SaveChangesAsync(ct);
                return decision;
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                log.LogDebug("Deployment {Id} changed while it was re-assessed; attempt {Attempt} of {Attempts}", id, attempt + 1, Attempts);
            }
        }
    }

    private static async Task<ReassessmentRun> LoadRunAsync(IDocumentStore store, string runId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<ReassessmentRun>(runId, ct)
            ?? throw new InvalidOperationException($"Re-assessment run {runId} was not queued with the change that triggered it.");
    }

    /// <summary>What a batch changed: counted on the copy of the run that commits with the batch's events.</summary>
    public sealed record Tally(int Changed = 0, int VerdictsChanged = 0, int SentToReview = 0)
    {
        public Tally With(DeploymentState before, Decision decision)
        {
            var assessed = decision.Events.OfType<DeploymentAssessed>().LastOrDefault();
            return new(Changed + (assessed is null ? 0 : 1),
                VerdictsChanged + (assessed is not null && before.Assessment?.Verdict != assessed.Verdict ? 1 : 0),
                SentToReview + (decision.Events.OfType<DeploymentReviewRequired>().Any() ? 1 : 0));
        }
    }
}
