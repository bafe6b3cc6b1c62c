using System.Text.Json;
using Governance.Attestations;

namespace Governance.Scanner.Signing;

/// <summary>Signs a predicate into a DSSE envelope and checks one, with the rules the Api uses (<see cref="Dsse"/>).</summary>
internal static class Attestation
{
    public static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Dsse.Envelope Sign(ModelFootprint predicate, ScannerKey key)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        // What the file says may be longer than the Api stores: fitted, and each change listed in the predicate.
        var statement = StatementBounds.Fit(Dsse.StatementFor(predicate.Artifact.Name ?? "model.gguf", predicate.Artifact.Sha256 ?? "", predicate));
        return Dsse.Sign(statement, key.Key);
    }

    public static string ToJson(Dsse.Envelope envelope) => JsonSerializer.Serialize(envelope, EnvelopeJson);

    /// <summary>Whether an envelope is valid for a public key, and if not, why (one sentence for a person).</summary>
    public sealed record Verdict(bool Valid, string Reason, Dsse.Statement? Statement);

    /// <summary>The Api's own check (<see cref="EnvelopeVerification"/>), against the one key given.</summary>
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

        var keyId = Dsse.KeyIdOf(spki);
        var verdict = EnvelopeVerification.Verify(envelope, [new TrustedKey(keyId, spki)]);
        // For a person holding one key, "not signed by it" reads better than the Api's "no trusted key".
        var reason = verdict.Rejection == EnvelopeRejection.SignatureNotVerified && envelope!.Signatures.All(s => s.KeyId != keyId)
            ? $"no signature verifies against this key ({keyId}); signed by {string.Join(", ", envelope.Signatures.Select(s => s.KeyId))}"
            : verdict.Detail;
        return new Verdict(verdict.Verified, reason, verdict.Statement);
    }
}
