using System.Text.Json;
using Governance.Policies.Attestations;

namespace Governance.Scanner.Signing;

/// <summary>Signs a predicate into a DSSE envelope and checks one, with the rules the Api uses (<see cref="Dsse"/>).</summary>
internal static class Attestation
{
    public static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Dsse.Envelope Sign(ModelFootprint predicate, ScannerKey key)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var statement = Dsse.StatementFor(predicate.Artifact.Name ?? "model.gguf", predicate.Artifact.Sha256 ?? "", predicate);
        return Dsse.Sign(statement, key.Key);
    }

    public static string ToJson(Dsse.Envelope envelope) => JsonSerializer.Serialize(envelope, EnvelopeJson);

    /// <summary>Whether an envelope is valid for a public key, and if not, why (one sentence for a person).</summary>
    public sealed record Verdict(bool Valid, string Reason, Dsse.Statement? Statement);

    public static Verdict Verify(string envelopeJson, string publicKeyPem)
    {
        Dsse.Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Dsse.Envelope>(envelopeJson, EnvelopeJson);
        }
        catch (JsonException e)
        {
            return new Verdict(false, $"not a DSSE envelope: {e.Message}", null);
        }
        if (envelope is null || envelope.Payload is null || envelope.Signatures is null or { Count: 0 })
            return new Verdict(false, "not a DSSE envelope: payloadType, payload and signatures are required", null);
        if (envelope.PayloadType != Dsse.InTotoPayloadType)
            return new Verdict(false, $"payloadType is '{envelope.PayloadType}', expected '{Dsse.InTotoPayloadType}'", null);
        if (!Dsse.IsBase64(envelope.Payload))
            return new Verdict(false, "payload is not base64", null);

        byte[] spki;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            spki = key.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return new Verdict(false, $"the key is not a PEM ECDSA public key: {e.Message}", null);
        }

        var payload = Convert.FromBase64String(envelope.Payload);
        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, payload);
        var keyId = Dsse.KeyIdOf(spki);
        var signed = envelope.Signatures.Any(s => s?.Sig is not null && Dsse.IsBase64(s.Sig)
            && Dsse.Verify(Convert.ToBase64String(spki), pae, Convert.FromBase64String(s.Sig)));
        if (!signed)
            return new Verdict(false, envelope.Signatures.Any(s => s?.KeyId == keyId)
                ? $"the signature by {keyId} does not verify: the payload or signature was altered"
                : $"no signature verifies against this key ({keyId}); signed by {string.Join(", ", envelope.Signatures.Select(s => s?.KeyId))}", null);

        if (Dsse.ReadStatement(payload) is not { } statement)
            return new Verdict(false, $"the signed payload is not an in-toto v1 statement of {ModelFootprint.PredicateType}", null);
        var subject = statement.Subject[0].Digest?.GetValueOrDefault("sha256");
        if (!string.Equals(subject, statement.Predicate.Artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            return new Verdict(false, $"the subject digest ({subject}) and the predicate's artifact digest ({statement.Predicate.Artifact.Sha256}) differ", statement);
        return new Verdict(true, $"signed by {keyId}: {statement.Subject[0].Name} sha256:{subject}", statement);
    }
}
