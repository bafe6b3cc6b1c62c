using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace Governance.Api.Features.Deployments;

/// <summary>The read model as it stood after version <see cref="Version"/> of its stream, at <see cref="Timestamp"/>.</summary>
public sealed class DeploymentCheckpoint
{
    public string Id { get; set; } = "";
    public Guid StreamId { get; set; }
    public long Version { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public DeploymentView View { get; set; } = null!;

    public static string IdOf(Guid streamId, long version) => $"{streamId:N}-{version:D12}";
}

/// <summary>
/// A deployment as it stood at any instant, without replaying its whole history: the nearest checkpoint at or before
/// the instant (one every <see cref="Interval"/> events, kept by <see cref="DeploymentCheckpoints"/>), then the few events
/// after it. A deployment with 10,000 events is replayed from at most 100 of them.
/// </summary>
public static class DeploymentHistory
{
    public const int Interval = 100;

    public static async Task<DeploymentView?> AsOfAsync(IQuerySession session, Guid id, DateTimeOffset asOf, CancellationToken ct)
    {
        var checkpoint = await session.Query<DeploymentCheckpoint>()
            .Where(c => c.StreamId == id && c.Timestamp <= asOf).OrderByDescending(c => c.Version).FirstOrDefaultAsync(ct);
        return checkpoint is null
            ? await session.Events.AggregateStreamAsync<DeploymentView>(id, timestamp: asOf, token: ct)
            : await session.Events.AggregateStreamAsync(id, timestamp: asOf, state: checkpoint.View, fromVersion: checkpoint.Version + 1, token: ct);
    }
}

/// <summary>
/// Keeps a checkpoint of the read model every <see cref="DeploymentHistory.Interval"/> events of a deployment, in the
/// background (Marten's async daemon): each built from the previous one and the events since, so a checkpoint costs the
/// same however long the history.
/// </summary>
public sealed class DeploymentCheckpoints : SubscriptionBase
{
    public DeploymentCheckpoints()
    {
        Name = "DeploymentCheckpoints";
        foreach (var type in DeploymentEvents.Types) IncludeType(type);
        Options.BatchSize = 1_000;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var made = new Dictionary<Guid, DeploymentCheckpoint>();
        await using var query = operations.DocumentStore.QuerySession();
        foreach (var e in page.Events.Where(e => e.Version % DeploymentHistory.Interval == 0))
        {
            var previous = made.GetValueOrDefault(e.StreamId)
                ?? await query.LoadAsync<DeploymentCheckpoint>(DeploymentCheckpoint.IdOf(e.StreamId, e.Version - DeploymentHistory.Interval), cancellationToken);
            var view = previous is null
                ? await query.Events.AggregateStreamAsync<DeploymentView>(e.StreamId, version: e.Version, token: cancellationToken)
                : await query.Events.AggregateStreamAsync(e.StreamId, version: e.Version, state: previous.View, fromVersion: previous.Version + 1, token: cancellationToken);
            if (view is null) continue;
            var checkpoint = new DeploymentCheckpoint
            {
                Id = DeploymentCheckpoint.IdOf(e.StreamId, e.Version), StreamId = e.StreamId, Version = e.Version, Timestamp = e.Timestamp, View = view,
            };
            operations.Store(checkpoint);
            made[e.StreamId] = checkpoint;
        }
        return NullChangeListener.Instance;
    }
}
