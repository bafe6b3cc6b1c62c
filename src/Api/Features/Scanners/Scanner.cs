using System.Security.Cryptography;

namespace Governance.Api.Features.Scanners;

public sealed record ScannerRegistered(Guid ScannerId, string Name, string KeyId, string PublicKey, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record ScannerKeyRevoked(Guid ScannerId, string KeyId, string Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>A scanner host and the public key its attestations must verify against. One stream per scanner.</summary>
public sealed class ScannerView
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";
    /// <summary><c>sha256:</c> and the hex SHA-256 of the key's SubjectPublicKeyInfo: the DSSE <c>keyid</c>.</summary>
    public string KeyId { get; set; } = "";
    /// <summary>The ECDSA P-256 public key as base64 SubjectPublicKeyInfo (DER).</summary>
    public string PublicKey { get; set; } = "";
    public Actor RegisteredBy { get; set; } = null!;
    public DateTimeOffset RegisteredAt { get; set; }
    public bool Revoked { get; set; }
    public string? RevocationReason { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public static ScannerView Create(ScannerRegistered e) => new()
    {
        Id = e.ScannerId, Name = e.Name, KeyId = e.KeyId, PublicKey = e.PublicKey, RegisteredBy = e.By, RegisteredAt = e.At,
    };

    public void Apply(ScannerKeyRevoked e) => (Revoked, RevocationReason, RevokedAt) = (true, e.Reason, e.At);
}

public static class ScannerKeys
{
    /// <summary>Reads a PEM or base64 SubjectPublicKeyInfo and insists on ECDSA P-256, the only curve attestations use.</summary>
    public static bool TryRead(string text, out byte[] spki, out string? problem)
    {
        spki = [];
        problem = null;
        try
        {
            using var key = ECDsa.Create();
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) key.ImportFromPem(text);
            else key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            var parameters = key.ExportParameters(false);
            if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                problem = "The key must be an ECDSA P-256 (secp256r1) public key.";
                return false;
            }
            spki = key.ExportSubjectPublicKeyInfo();
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            problem = "The key is not a readable ECDSA public key (PEM 'PUBLIC KEY' or base64 SubjectPublicKeyInfo).";
            return false;
        }
    }

    public static string KeyIdOf(byte[] spki) => Governance.Attestations.Dsse.KeyIdOf(spki);
}
