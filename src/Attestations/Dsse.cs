using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Attestations;

/// <summary>
/// DSSE v1 envelope rules and the in-toto v1 statement inside: the one definition the scanner signs with and the Api
/// (and the scanner's <c>verify</c> command) verifies with, so the two can never disagree on what was signed.
/// </summary>
public static class Dsse
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";
    public const string StatementType = "https://in-toto.io/Statement/v1";

    /// <summary>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body; what is actually signed.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var head = Encoding.UTF8.GetBytes($"DSSEv1 {type.Length} {payloadType} {payload.Length} ");
        return [.. head, .. payload];
    }

    public static bool Verify(byte[] subjectPublicKeyInfo, byte[] pae, byte[] derSignature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            return key.VerifyData(pae, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The DSSE <c>keyid</c> of a public key: <c>sha256:</c> + hex SHA-256 of its SubjectPublicKeyInfo (DER).</summary>
    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public sealed record EnvelopeSignature(
        [property: JsonPropertyName("keyid")] string KeyId,
        [property: JsonPropertyName("sig")] string Sig);

    public sealed record Envelope(
        [property: JsonPropertyName("payloadType")] string PayloadType,
        [property: JsonPropertyName("payload")] string Payload,
        [property: JsonPropertyName("signatures")] IReadOnlyList<EnvelopeSignature> Signatures);

    /// <summary>Signs an in-toto statement with an ECDSA P-256 key: SHA-256 over the PAE, DER-encoded signature.</summary>
    public static Envelope Sign(byte[] statement, ECDsa key)
    {
        var pae = PreAuthenticationEncoding(InTotoPayloadType, statement);
        var signature = key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new Envelope(InTotoPayloadType, Convert.ToBase64String(statement),
            [new EnvelopeSignature(KeyIdOf(key.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature))]);
    }

    /// <summary>An in-toto v1 statement about one artifact with a model-footprint predicate, as UTF-8 JSON.</summary>
    public static byte[] StatementFor(string artifactName, string sha256, ModelFootprint predicate) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["_type"] = StatementType,
            ["subject"] = new[] { new Subject(artifactName, new Dictionary<string, string> { ["sha256"] = sha256 }) },
            ["predicateType"] = ModelFootprint.PredicateType,
            ["predicate"] = predicate,
        }, Options);

    public static bool IsBase64(string? text) => text is not null && Convert.TryFromBase64String(text, new byte[text.Length], out _);

    public sealed record Subject(string? Name, Dictionary<string, string>? Digest);

    public sealed record Statement(string Type, IReadOnlyList<Subject> Subject, string PredicateType, ModelFootprint Predicate)
    {
        /// <summary>The SHA-256 the statement is about: its first subject's.</summary>
        public string? SubjectSha256 => Subject.Select(s => s.Digest?.GetValueOrDefault("sha256")).FirstOrDefault(d => d is not null);
    }

    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The statement, or null when the payload is not an in-toto v1 statement of our predicate type.</summary>
    public static Statement? ReadStatement(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != StatementType
                || !root.TryGetProperty("predicateType", out var predicateType) || predicateType.ValueKind != JsonValueKind.String
                || predicateType.GetString() != ModelFootprint.PredicateType
                || !root.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("predicate", out var predicate) || predicate.ValueKind != JsonValueKind.Object)
                return null;
            var subjects = subject.Deserialize<List<Subject>>(Options) ?? [];
            var footprint = predicate.Deserialize<ModelFootprint>(Options);
            return footprint is null || subjects.Count == 0 || subjects.Any(s => s is null)
                ? null
                : new Statement(StatementType, subjects, ModelFootprint.PredicateType, footprint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
