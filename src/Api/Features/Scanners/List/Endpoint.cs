using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Scanners.List;

public sealed class Endpoint(IQuerySession session) : EndpointWithoutRequest<IReadOnlyList<ScannerState>>
{
    public override void Configure()
    {
        Get("/scanners");
        this.Allow(Role.Admin, Role.Auditor, Role.Legal);
        Summary(s => s.Summary = "Registered scanners and their keys, revoked ones included");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync(await session.Query<ScannerState>().OrderBy(s => s.RegisteredAt).ToListAsync(ct), ct);
}
