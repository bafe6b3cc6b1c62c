using Governance.Attestations;
using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Scanners;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.Attest;

/// <summary>A DSSE envelope (https://github.com/secure-systems-lab/dsse) around an in-toto v1 statement.</summary>
public sealed class Request
{
    public Guid Id { get; set; }
    /// <summary>Must be <c>application/vnd.in-toto+json</c>.</summary>
    public string? PayloadType { get; set; }
    /// <summary>The in-toto statement, base64.</summary>
    public string? Payload { get; set; }
    public List<Signature>? Signatures { get; set; }
}

public sealed class Signature
{
    /// <summary>The scanner key id: <c>sha256:</c> + hex SHA-256 of its SubjectPublicKeyInfo.</summary>
    public string? Keyid { get; set; }
    /// <summary>ECDSA P-256 / SHA-256 signature over the DSSE pre-authentication encoding, DER, base64.</summary>
    public string? Sig { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.PayloadType).Equal(Dsse.InTotoPayloadType);
        RuleFor(x => x.Payload).NotEmpty().MaximumLength(2_000_000).Must(Dsse.IsBase64).WithMessage("'payload' must be base64.")
            .Custom((payload, context) =>
            {
                if (!Dsse.IsBase64(payload)) return;
                foreach (var (path, reason) in StatementSchema.Check(Convert.FromBase64String(payload!)))
                    context.AddFailure(new FluentValidation.Results.ValidationFailure($"payload:{path}", $"The statement at {path}: {reason}"));
            });
        RuleFor(x => x.Signatures).NotEmpty().Must(s => s is null || s.Count <= 8).WithMessage("Between 1 and 8 signatures.");
        RuleForEach(x => x.Signatures).NotNull().ChildRules(s =>
        {
            s.RuleFor(x => x.Keyid).NotEmpty().MaximumLength(200);
            s.RuleFor(x => x.Sig).NotEmpty().MaximumLength(1000).Must(Dsse.IsBase64).WithMessage("'sig' must be base64.");
        });
    }
}

/// <summary>
/// Accepts a scanner's signed attestation only if the signature verifies against a registered, non-revoked key, the
/// statement is about the registered artifact of this deployment, and it was not seen before. Then it is recorded and
/// the deployment re-assessed: what the file says joins the assessment and a required attestation is satisfied.
/// Anything else is a 4xx problem and nothing is recorded.
/// </summary>
public sealed class Endpoint(IDocumentSession session, DeploymentHandler handler) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/attestations");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Record a signed model-footprint attestation (DSSE envelope, in-toto v1 statement)");
        Description(b => b.ProducesProblem(400).ClearDefaultProduces(200).Produces<DeploymentView>(201).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var envelope = new Dsse.Envelope(req.PayloadType!, req.Payload!, req.Signatures!.Select(s => new Dsse.EnvelopeSignature(s.Keyid!, s.Sig!)).ToList());
        var keyIds = envelope.Signatures.Select(s => s.KeyId).Distinct().ToList();
        var scanners = await session.Query<ScannerState>().Where(s => keyIds.Contains(s.KeyId)).ToListAsync(ct);
        var command = new DeploymentCommand.RecordAttestation(req.Id, envelope, scanners.Select(s => new ScannerKey(s.Id, s.Name, s.Trusted())).ToList());
        await Send.ResultAsync((await handler.HandleAsync(command, null, Actor.From(User), ct)).ToResult(HttpContext, StatusCodes.Status201Created));
    }
}
