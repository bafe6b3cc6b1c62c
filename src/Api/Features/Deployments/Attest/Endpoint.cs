using Governance.Attestations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Company;
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
        RuleFor(x => x.Payload).NotEmpty().MaximumLength(2_000_000).Must(Dsse.IsBase64).WithMessage("'payload' must be base64.");
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
/// the deployment re-assessed: the scan's findings join the assessment and a required attestation is satisfied.
/// Anything else is a 4xx problem and nothing is recorded.
/// </summary>
[Creates, Refuses(409, 422)]
public sealed class Endpoint(IDocumentSession session, Assessor assessor, TimeProvider clock) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/attestations");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Record a signed model-footprint attestation (DSSE envelope, in-toto v1 statement)");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<DeploymentView>(req.Id, ct);
        if (stream.Aggregate?.Copy() is not { } state)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        if (state.Status is DeploymentStatus.Retired or DeploymentStatus.Rejected)
        {
            await Refuse(409, "Deployment not in service", $"The deployment is {Governance.Policies.Naming.Snake(state.Status)}; it takes no attestations.");
            return;
        }

        var keyIds = req.Signatures!.Select(s => s.Keyid!).Distinct().ToList();
        var scanners = await session.Query<ScannerView>().Where(s => keyIds.Contains(s.KeyId)).ToListAsync(ct);
        var envelope = new Dsse.Envelope(req.PayloadType!, req.Payload!, req.Signatures!.Select(s => new Dsse.EnvelopeSignature(s.Keyid!, s.Sig!)).ToList());
        var verdict = EnvelopeVerification.Verify(envelope,
            scanners.Select(s => new TrustedKey(s.KeyId, Convert.FromBase64String(s.PublicKey), s.Revoked)).ToList());
        if (verdict.Statement is not { } statement)
        {
            await Refuse(422, verdict.Rejection is EnvelopeRejection.NotAStatement ? "Not an in-toto statement"
                : verdict.Rejection is EnvelopeRejection.SubjectMismatch ? "Artifact digest mismatch" : "Signature not verified", verdict.Detail);
            return;
        }
        var signer = scanners.Single(s => s.KeyId == verdict.SignedBy!.KeyId);
        var payload = verdict.Payload;
        var digest = statement.Subject.Select(s => s.Digest?.GetValueOrDefault("sha256")).FirstOrDefault(d => d is not null);
        if (!string.Equals(digest, state.Model.ArtifactSha256, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(statement.Predicate.Artifact.Sha256, state.Model.ArtifactSha256, StringComparison.OrdinalIgnoreCase))
        {
            await Refuse(422, "Artifact digest mismatch",
                $"The statement is about sha256:{digest ?? "(none)"}, but the deployment's registered artifact is sha256:{state.Model.ArtifactSha256}.");
            return;
        }
        if (statement.Predicate.DeploymentId != state.Id)
        {
            await Refuse(422, "Wrong deployment", $"The statement names deployment {statement.Predicate.DeploymentId}, not {state.Id}.");
            return;
        }

        var envelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(payload));
        var now = clock.GetUtcNow();
        if (state.AttestationDigests.Contains(envelopeSha256))
        {
            await Refuse(409, "Replayed attestation", $"This attestation (payload sha256:{envelopeSha256}) was already recorded.");
            return;
        }
        if (state.Attestation is { } last && statement.Predicate.ScannedAt <= last.Predicate.ScannedAt)
        {
            await Refuse(409, "Older than the attestation on record",
                $"The statement was made at {statement.Predicate.ScannedAt:O}; the one on record at {last.Predicate.ScannedAt:O}.");
            return;
        }
        if (statement.Predicate.ScannedAt > now.AddMinutes(5))
        {
            await Refuse(422, "Scanned in the future", $"scannedAt {statement.Predicate.ScannedAt:O} is later than now ({now:O}).");
            return;
        }

        var by = Actor.From(User);
        var attested = new DeploymentAttested(state.Id, envelopeSha256, signer.KeyId, signer.Id, signer.Name, JsonSerializer.Serialize(envelope), statement.Predicate, by, now);
        state.When(attested);
        var company = await session.LoadAsync<CompanyView>(CompanyView.StreamId, ct);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var assessed = assessor.Assessed(state.Id, assessor.Assess(state, company, state.Waivers, today), "attested", today, by, now);
        var events = new List<object> { attested };
        foreach (var e in Decider.Reassess(state, assessed)) { events.Add(e); state.When(e); }
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
        HttpContext.Response.Headers.ETag = ETag.Of(state.Version);
        await Send.ResponseAsync(state, StatusCodes.Status201Created, ct);
    }

    private Task Refuse(int status, string title, string detail) => Send.ResultAsync(Problem.Of(status, title, detail));
}
