using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Scanners.Register;

public sealed class Request
{
    /// <summary>The scanner host's name, e.g. "gpu-scanner-01".</summary>
    public string? Name { get; set; }
    /// <summary>The scanner's ECDSA P-256 public key: PEM ("-----BEGIN PUBLIC KEY-----") or base64 SubjectPublicKeyInfo.</summary>
    public string? PublicKey { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.PublicKey).NotEmpty().MaximumLength(4000)
            .Must((request, key, context) =>
            {
                if (key is null || ScannerKeys.TryRead(key, out _, out var problem)) return true;
                context.MessageFormatter.AppendArgument("Problem", problem);
                return false;
            }).WithMessage("{Problem}");
    }
}

public sealed record Response(Guid Id, string Name, string KeyId);

/// <summary>An admin registers a scanner's public key; attestations signed with it are then accepted.</summary>
[Creates, Refuses(409)]
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/scanners");
        this.Allow(Role.Admin);
        Summary(s => s.Summary = "Register a scanner's ECDSA P-256 public key");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ScannerKeys.TryRead(req.PublicKey!, out var spki, out _);
        var keyId = ScannerKeys.KeyIdOf(spki);
        if (await session.Query<ScannerView>().AnyAsync(s => s.KeyId == keyId, ct))
        {
            await Send.ResultAsync(Problem.Of(409, "Key already registered", $"A scanner with key {keyId} is already registered."));
            return;
        }
        var id = Guid.CreateVersion7();
        session.Events.StartStream<ScannerView>(id,
            new ScannerRegistered(id, req.Name!.Trim(), keyId, Convert.ToBase64String(spki), Actor.From(User), clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        HttpContext.Response.Headers.Location = $"/scanners/{id}";
        await Send.ResponseAsync(new Response(id, req.Name!.Trim(), keyId), StatusCodes.Status201Created, ct);
    }
}
