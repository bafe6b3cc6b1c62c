namespace Governance.Attestations;

/// <summary>A public key an attestation may be signed with, as whoever verifies knows it.</summary>
public sealed record TrustedKey(string KeyId, byte[] SubjectPublicKeyInfo, bool Revoked = false);

/// <summary>Why an envelope is not evidence. The Api answers these as 422s; the <c>verify</c> command prints them.</summary>
public enum EnvelopeRejection
{
    /// <summary>Not a DSSE envelope of an in-toto statement: wrong payload type, payload or signature not base64, no signatures.</summary>
    Malformed,
    /// <summary>No signature verifies against a trusted, non-revoked key.</summary>
    SignatureNotVerified,
    /// <summary>Every key the envelope names is known but revoked.</summary>
    KeyRevoked,
    /// <summary>The signed payload is not an in-toto v1 statement with a readable model-footprint predicate.</summary>
    NotAStatement,
    /// <summary>The statement's subject and its predicate name different artifacts.</summary>
    SubjectMismatch,
}

/// <summary>The outcome of <see cref="EnvelopeVerification.Verify"/>: either <see cref="Statement"/> or <see cref="Rejection"/> is set.</summary>
public sealed record EnvelopeVerdict(
    Dsse.Statement? Statement, TrustedKey? SignedBy, byte[] Payload, EnvelopeRejection? Rejection, string Detail)
{
    public bool Verified => Rejection is null;
}

public static class EnvelopeVerification
{
    /// <summary>
    /// Checks a DSSE envelope the way every verifier of Governance does: its type and encoding, a signature by one of
    /// <paramref name="keys"/> that is not revoked (over the DSSE pre-authentication encoding), and a statement whose
    /// subject is the artifact its predicate describes. Pure: the same envelope and keys give the same verdict.
    /// </summary>
    public static EnvelopeVerdict Verify(Dsse.Envelope? envelope, IReadOnlyCollection<TrustedKey> keys)
    {
        if (envelope?.Payload is null || envelope.Signatures is null or { Count: 0 } || envelope.Signatures.Any(s => s is null))
            return Reject([], EnvelopeRejection.Malformed, "Not a DSSE envelope: payloadType, payload and signatures are required.");
        if (envelope.PayloadType != Dsse.InTotoPayloadType)
            return Reject([], EnvelopeRejection.Malformed, $"payloadType is '{envelope.PayloadType}', expected '{Dsse.InTotoPayloadType}'.");
        if (!Dsse.IsBase64(envelope.Payload))
            return Reject([], EnvelopeRejection.Malformed, "The payload is not base64.");

        var payload = Convert.FromBase64String(envelope.Payload);
        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, payload);
        var named = envelope.Signatures.Select(s => s.KeyId).ToHashSet(StringComparer.Ordinal);
        TrustedKey? signer = null;
        foreach (var signature in envelope.Signatures)
        {
            var key = keys.FirstOrDefault(k => k.KeyId == signature.KeyId);
            if (key is null || key.Revoked || !Dsse.IsBase64(signature.Sig)) continue;
            if (Dsse.Verify(key.SubjectPublicKeyInfo, pae, Convert.FromBase64String(signature.Sig)))
            {
                signer = key;
                break;
            }
        }
        if (signer is null)
        {
            var known = keys.Where(k => named.Contains(k.KeyId)).ToList();
            return known.Count > 0 && known.All(k => k.Revoked)
                ? Reject(payload, EnvelopeRejection.KeyRevoked, $"The signing key {string.Join(", ", known.Select(k => k.KeyId))} was revoked.")
                : Reject(payload, EnvelopeRejection.SignatureNotVerified, known.Count > 0
                    ? $"The signature by {string.Join(", ", known.Select(k => k.KeyId))} does not verify: the payload or the signature was altered."
                    : $"No signature verifies against a trusted key; the envelope is signed by {string.Join(", ", named)}.");
        }

        if (Dsse.ReadStatement(payload) is not { } statement)
            return Reject(payload, EnvelopeRejection.NotAStatement,
                $"The signed payload is not an in-toto v1 statement with predicateType '{ModelFootprint.PredicateType}' and a readable predicate.");
        if (!string.Equals(statement.SubjectSha256, statement.Predicate.Artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            return Reject(payload, EnvelopeRejection.SubjectMismatch,
                $"The subject digest ({statement.SubjectSha256 ?? "none"}) and the predicate's artifact digest ({statement.Predicate.Artifact.Sha256 ?? "none"}) differ.");
        if (statement.Predicate.Artifact.Manifest is { } manifest
            && !string.Equals(manifest.RootDigest(), statement.SubjectSha256, StringComparison.OrdinalIgnoreCase))
            return Reject(payload, EnvelopeRejection.SubjectMismatch,
                $"The subject digest ({statement.SubjectSha256}) is not the digest of the manifest's resources ({manifest.RootDigest() ?? "not computable"}).");
        return new EnvelopeVerdict(statement, signer, payload, null,
            $"Signed by {signer.KeyId}: {statement.Subject[0].Name} sha256:{statement.SubjectSha256}.");
    }

    private static EnvelopeVerdict Reject(byte[] payload, EnvelopeRejection reason, string detail) => new(null, null, payload, reason, detail);
}
