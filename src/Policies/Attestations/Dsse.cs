using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Governance.Policies.Attestations;

/// <summary>
/// DSSE v1 envelope rules and the in-toto v1 statement inside: shared by the scanner that signs and the Api that
/// verifies, so the two can never disagree on what was signed.
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

    public static bool Verify(string publicKeySpkiBase64, byte[] pae, byte[] derSignature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeySpkiBase64), out _);
            return key.VerifyData(pae, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static bool IsBase64(string? text) => text is not null && Convert.TryFromBase64String(text, new byte[text.Length], out _);

    public sealed record Subject(string? Name, Dictionary<string, string>? Digest);

    public sealed record Statement(string Type, IReadOnlyList<Subject> Subject, string PredicateType, ModelFootprint Predicate);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The statement, or null when the payload is not an in-toto v1 statement of our predicate type.</summary>
    public static Statement? ReadStatement(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("_type", out var type) || type.GetString() != StatementType
                || !root.TryGetProperty("predicateType", out var predicateType) || predicateType.GetString() != ModelFootprint.PredicateType
                || !root.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("predicate", out var predicate) || predicate.ValueKind != JsonValueKind.Object)
                return null;
            var subjects = subject.Deserialize<List<Subject>>(Options) ?? [];
            var footprint = predicate.Deserialize<ModelFootprint>(Options);
            return footprint is null || subjects.Count == 0 ? null : new Statement(StatementType, subjects, ModelFootprint.PredicateType, footprint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
