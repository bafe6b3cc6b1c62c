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
                if (key is null || ScannerDecider.TryReadKey(key, out _, out var problem)) return true;
                context.MessageFormatter.AppendArgument("Problem", problem);
                return false;
            }).WithMessage("{Problem}");
    }
}

public sealed record Response(Guid Id, string Name, string KeyId);

/// <summary>An admin registers a scanner's public key; attestations signed with it are then accepted.</summary>
public sealed class Endpoint(IDocumentSession session, ScannerHandler handler) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/scanners");
        this.Allow(Role.Admin);
        Summary(s => s.Summary = "Register a scanner's ECDSA P-256 public key");
        Description(b => b.ProducesProblem(400).ClearDefaultProduces(200).Produces<Response>(201).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        ScannerDecider.TryReadKey(req.PublicKey!, out var spki, out _);
        var keyId = Governance.Attestations.Dsse.KeyIdOf(spki);
        var keyInUse = await session.Query<ScannerState>().AnyAsync(s => s.KeyId == keyId, ct);
        var outcome = await handler.HandleAsync(new ScannerCommand.Register(Guid.CreateVersion7(), req.Name!.Trim(), spki, keyInUse), Actor.From(User), ct);
        if (outcome.Refusal is { } refusal)
        {
            await Send.ResultAsync(refusal.ToResult());
            return;
        }
        var scanner = outcome.Value!.Scanner;
        HttpContext.Response.Headers.Location = $"/scanners/{scanner.Id}";
        await Send.ResponseAsync(new Response(scanner.Id, scanner.Name, scanner.KeyId), StatusCodes.Status201Created, ct);
    }
}
