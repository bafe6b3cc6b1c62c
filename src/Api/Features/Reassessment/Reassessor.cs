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
            if (await ConvergeOneAsync(store, id, basis, ct))
                converged++;
        return converged;
    }

    /// <summary>
    /// Re-assesses one deployment that rests on older versions than <paramref name="decidedUnder"/>, the basis against
    /// which the caller found no run that would reach it. If the company or catalog has changed since, it is left alone:
    /// the newer company change queued a run over every open deployment (a newer catalog, the sweep), and doing it here,
    /// one by one, would only do that run's work early and at a deployment at a time.
    /// </summary>
    internal async Task<bool> ConvergeOneAsync(IDocumentStore store, Guid id, AssessmentBasis decidedUnder, CancellationToken ct) =>
        await OneAsync(store, id, (state, basis) =>
            basis.CompanyVersion == decidedUnder.CompanyVersion && basis.CatalogVersion == decidedUnder.CatalogVersion && DeploymentDecider.IsOutdated(state, basis)
                ? new DeploymentCommand.Reassess(id, state.Assessment?.CatalogVersion != basis.CatalogVersion ? "catalog-changed" : "company-changed")
                : null, ct) is { Events.Count: > 0 };

    private async Task RunAsync(IDocumentStore store, string runId, System.Linq.Expressions.Expression<Func<DeploymentState, bool>> scope,
        Func<DeploymentState, ReassessmentRun, DeploymentCommand> command, CancellationToken ct, Func<AssessmentBasis, string?>? supersededBy = null)
    {
        var run = await LoadRunAsync(store, runId, ct);
        if (run.Status is RunStatus.Finished or RunStatus.Superseded) return;

        // Several batches in flight (ReassessmentOptions.BatchesInFlight): while PostgreSQL writes some, the next is read,
        // decided and serialised here, each on a connection of its own. They commit in order, each with the progress up to
        // it (Batch.CommitAsync).
        var inFlight = new Queue<Batch>(); // oldest first
        try
        {
            while (true)
            {
                var timing = System.Diagnostics.Stopwatch.StartNew();
                var next = await Batch.OpenAsync(store, ct);
                // The progress as it will stand once the batches in flight commit: this batch starts where the last one ends.
                var newest = inFlight.LastOrDefault();
                var from = newest?.After ?? run;
                IReadOnlyList<DeploymentState> states;
                try
                {
                    var basis = await AssessmentBasis.LoadAsync(next.Session, policies, ct, options.Value.Scans);
                    if (from.Status == RunStatus.Queued)
                    {
                        if (supersededBy?.Invoke(basis) is { } later)
                        {
                            (run.Status, run.SupersededBy, run.FinishedAt) = (RunStatus.Superseded, later, clock.GetUtcNow());
                            await next.SaveAloneAsync(run, ct);
                            await next.DisposeAsync();
                            return;
                        }
                        (run.Status, run.StartedAt, run.CompanyVersion, run.CatalogVersion) = (RunStatus.Running, clock.GetUtcNow(), basis.CompanyVersion, basis.CatalogVersion);
                        run.Total = await next.Session.Query<DeploymentState>().Where(scope).CountAsync(ct);
                    }

                    var query = next.Session.Query<DeploymentState>().Where(scope);
                    if (from.Cursor is { } cursor) query = query.Where(d => d.MatchesSql("d.id > ?", cursor));
                    states = await query.OrderBy(d => d.Id).Take(Settings.BatchSize).ToListAsync(ct);
                    if (states.Count == 0 && inFlight.Count == 0)
                    {
                        (run.Status, run.FinishedAt) = (RunStatus.Finished, clock.GetUtcNow());
                        await next.SaveAloneAsync(run, ct);
                        await next.DisposeAsync();
                        log.LogInformation("Re-assessment {Run} finished: {Done} deployment(s), {Changed} changed, {Review} sent to review",
                            run.Id, run.Done, run.Changed, run.SentToReview);
                        return;
                    }

                    if (states.Count > 0)
                    {
                        var read = timing.Elapsed;
                        var context = new DecisionContext(basis, Actor.System, clock.GetUtcNow());
                        var tally = new Tally();
                        foreach (var state in states)
                        {
                            var decision = DecideOrPassOver(command(state, from), state, context);
                            if (decision.Refusal is { Status: Undecidable } failed)
                            {
                                tally = tally.Failing(state.Id, failed.Detail, context.At);
                                continue;
                            }
                            if (decision.Events.Count == 0) continue;
                            next.Session.Events.Append(state.Id, state.Version + decision.Events.Count, decision.Events);
                            tally = tally.With(state, decision);
                        }
                        // The progress commits with the events it counts: a replica killed after this commit leaves nothing uncounted.
                        next.Start(states, from.Advanced(states[^1].Id, states.Count, tally), newest?.Committed, timing, read, log, ct);
                    }
                }
                catch
                {
                    await next.DisposeAsync();
                    throw;
                }

                // The new batch joins those in flight (with nothing left to read, there is none: the oldest is settled, then
                // the rest is read again from where the newest ends).
                if (states.Count > 0) inFlight.Enqueue(next);
                else await next.DisposeAsync();
                if (inFlight.Count >= Settings.BatchesInFlight || (states.Count == 0 && inFlight.Count > 0))
                {
                    var oldest = inFlight.Dequeue();
                    bool committed;
                    try { committed = await oldest.Committed; }
                    finally { await oldest.DisposeAsync(); }
                    if (committed) run = oldest.After;
                    else
                    {
                        // A deployment of that batch was written meanwhile: none of it was stored, nor the batches behind it,
                        // which waited for it and rolled back (they are read again from where this one ends).
                        while (inFlight.TryDequeue(out var behind)) await behind.DisposeAsync();
                        run = await OneByOneAsync(store, oldest.States, run, command, ct);
                        continue;
                    }
                }
                if (Settings.PauseBetweenBatchesMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(Settings.PauseBetweenBatchesMs), clock, ct);
            }
        }
        finally
        {
            while (inFlight.TryDequeue(out var batch)) await batch.DisposeAsync();
        }
    }

    /// <summary>
    /// A batch that lost a race with a concurrent write, redone one deployment at a time, each deployment's events
    /// committing with the progress up to it. Returns the progress after the batch.
    /// </summary>
    private async Task<ReassessmentRun> OneByOneAsync(IDocumentStore store, IReadOnlyList<DeploymentState> batch, ReassessmentRun start,
        Func<DeploymentState, ReassessmentRun, DeploymentCommand> command, CancellationToken ct)
    {
        var sum = new Tally();
        for (var i = 0; i < batch.Count; i++)
        {
            var (id, done, counted) = (batch[i].Id, i + 1, sum);
            // Counted against the state the deployment was decided on (not the batch's, which lost the race).
            var decision = await OneAsync(store, id, (current, _) => command(current, start), ct,
                alongside: (s, before, d) => s.Store(start.Advanced(id, done, counted = sum.With(before, d))));
            if (decision?.Refusal is { Status: Undecidable } failed) sum = sum.Failing(id, failed.Detail, clock.GetUtcNow());
            else if (decision is { Events.Count: > 0 }) sum = counted;
        }
        var run = start.Advanced(batch[^1].Id, batch.Count, sum);
        await using var progress = store.LightweightSession();
        progress.Store(run);
        await progress.SaveChangesAsync(ct);
        return run;
    }

    /// <summary>
    /// One batch's transaction, on a connection of its own so the next batch can be prepared while this one is written.
    /// It commits only after the batch before it did (<see cref="Committed"/> is false if either lost a race), with the
    /// progress up to it, which counts that batch.
    /// </summary>
    private sealed class Batch : IAsyncDisposable
    {
        private readonly Npgsql.NpgsqlConnection _connection;
        private readonly Npgsql.NpgsqlTransaction _transaction;

        private Batch(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, IDocumentSession session) =>
            (_connection, _transaction, Session) = (connection, transaction, session);

        public IDocumentSession Session { get; }
        public IReadOnlyList<DeploymentState> States { get; private set; } = [];
        public ReassessmentRun After { get; private set; } = null!;
        public Task<bool> Committed { get; private set; } = Task.FromResult(false);

        public static async Task<Batch> OpenAsync(IDocumentStore store, CancellationToken ct)
        {
            var connection = store.Storage.Database.CreateConnection();
            try
            {
                await connection.OpenAsync(ct);
                var transaction = await connection.BeginTransactionAsync(ct);
                var options = Marten.Services.SessionOptions.ForTransaction(transaction);
                options.Tracking = DocumentTracking.IdentityOnly;
                return new Batch(connection, transaction, store.OpenSession(options));
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        /// <summary>Stores the run alone (started and superseded, finished) and commits.</summary>
        public async Task SaveAloneAsync(ReassessmentRun run, CancellationToken ct)
        {
            Session.Store(run);
            await Session.SaveChangesAsync(ct);
            await _transaction.CommitAsync(ct);
        }

        public void Start(IReadOnlyList<DeploymentState> states, ReassessmentRun after, Task<bool>? before, System.Diagnostics.Stopwatch timing, TimeSpan read,
            ILogger log, CancellationToken ct)
        {
            (States, After) = (states, after);
            var decided = timing.Elapsed;
            Committed = CommitAsync(before, ct, () => log.LogDebug("Batch of {Count}: read {Read:0} ms, decided {Decided:0} ms, saved {Saved:0} ms", states.Count,
                read.TotalMilliseconds, (decided - read).TotalMilliseconds, (timing.Elapsed - decided).TotalMilliseconds));
        }

        private async Task<bool> CommitAsync(Task<bool>? before, CancellationToken ct, Action saved)
        {
            try
            {
                await Session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException)
            {
                await _transaction.RollbackAsync(CancellationToken.None);
                return false;
            }
            bool inOrder;
            try { inOrder = before is null || await before; }
            catch { inOrder = false; } // the driver sees that batch's failure itself
            if (!inOrder)
            {
                await _transaction.RollbackAsync(CancellationToken.None);
                return false;
            }
            // Only now the progress: written earlier, it could take the run document's row before a batch ahead of this
            // one does, and each would wait for the other (that one in PostgreSQL, this one here).
            Session.Store(After);
            await Session.SaveChangesAsync(ct);
            await _transaction.CommitAsync(ct);
            saved();
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            try { await Committed; }
            catch { /* reported by whoever awaited it; here only the connection is released */ }
            await Session.DisposeAsync();
            await _connection.DisposeAsync();
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
            var decision = DecideOrPassOver(next, state, new DecisionContext(basis, Actor.System, clock.GetUtcNow()));
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

    /// <summary>The status of the refusal <see cref="DecideOrPassOver"/> answers when deciding failed.</summary>
    private const int Undecidable = 500;

    /// <summary>
    /// The decision on one deployment; when deciding throws, a refusal with status <see cref="Undecidable"/> whose detail
    /// names the exception, logged as an error. The deployment is passed over, so one the decider cannot handle (a
    /// defect, or a document damaged outside Governance) holds up no other deployment and no later change; the run
    /// counts it (<see cref="ReassessmentRun.Failed"/>).
    /// </summary>
    private Decision DecideOrPassOver(DeploymentCommand command, DeploymentState state, DecisionContext context)
    {
        try
        {
            return DeploymentDecider.Decide(command, state, context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Deployment {Id} could not be re-assessed and was passed over", state.Id);
            return Decision.Refuse(Undecidable, "Not re-assessed", $"{e.GetType().Name}: {e.Message}");
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
        public IReadOnlyList<RunFailure> Failures { get; init; } = [];

        public Tally Failing(Guid id, string error, DateTimeOffset at) => this with { Failures = [.. Failures, new RunFailure(id, error, at)] };

        public Tally With(DeploymentState before, Decision decision)
        {
            var assessed = decision.Events.OfType<DeploymentAssessed>().LastOrDefault();
            return this with
            {
                Changed = Changed + (assessed is null ? 0 : 1),
                VerdictsChanged = VerdictsChanged + (assessed is not null && before.Assessment?.Verdict != assessed.Verdict ? 1 : 0),
                SentToReview = SentToReview + (decision.Events.OfType<DeploymentReviewRequired>().Any() ? 1 : 0),
            };
        }
    }
}
