using Governance.Api.Features.Deployments;
using JasperFx.Events;
using Marten;

namespace Governance.Api.Infrastructure;

/// <summary>
/// Deployment versions travel as ETags (<c>"3"</c>). An <c>If-Match</c> pins the write to the version the client read;
/// without one the write is still guarded by the version read here, so two writers never both win.
/// </summary>
public static class ETag
{
    public static string Of(long version) => $"\"{version}\"";

    public static bool TryParse(string value, out long version)
    {
        var v = value.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal)) v = v[2..];
        return long.TryParse(v.Trim('"'), out version) && version > 0;
    }

    /// <summary>
    /// Loads the deployment for writing; the append is pinned to the version read. A deployment that exists at another
    /// version than <paramref name="ifMatch"/> is a <see cref="StaleVersionException"/> (409); one that does not exist
    /// comes back with a null aggregate (404), whatever the If-Match said.
    /// </summary>
    public static async Task<IEventStream<DeploymentView>> FetchForWriting(IDocumentSession session, Guid id, string? ifMatch, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<DeploymentView>(id, ct);
        if (stream.Aggregate is not null && ifMatch is not null && TryParse(ifMatch, out var expected) && stream.Aggregate.Version != expected)
            throw new StaleVersionException(expected, stream.Aggregate.Version);
        return stream;
    }
}

public sealed class StaleVersionException(long expected, long actual)
    : Exception($"The deployment is at version {actual}, not {expected} as If-Match said. Read it again and retry.")
{
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}
