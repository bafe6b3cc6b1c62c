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

    public static Task<IEventStream<DeploymentView>> FetchForWriting(IDocumentSession session, Guid id, string? ifMatch, CancellationToken ct) =>
        ifMatch is not null && TryParse(ifMatch, out var expected)
            ? session.Events.FetchForWriting<DeploymentView>(id, expected, ct)
            : session.Events.FetchForWriting<DeploymentView>(id, ct);
}
