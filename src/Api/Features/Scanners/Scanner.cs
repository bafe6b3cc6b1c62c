using System.Security.Cryptography;
using Governance.Api.Features.Reassessment;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using Marten;

namespace Governance.Api.Features.Scanners;

// The scanner stream: one per registered scanner key. The class names are the stored type names: never rename one.

public sealed record ScannerRegistered(Guid ScannerId, string Name, string KeyId, string PublicKey, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record ScannerKeyRevoked(Guid ScannerId, string KeyId, string Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

public static class ScannerEvents
{
    public static readonly IReadOnlyList<Type> Types = [typeof(ScannerRegistered), typeof(ScannerKeyRevoked)];
}

/// <summary>A scanner host and the public key its attestations must verify against; decided on and served as is.</summary>
public sealed record ScannerState : IVersioned
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string Name { get; init; } = "";
    /// <summary><c>sha256:</c> and the hex SHA-256 of the key's SubjectPublicKeyInfo: the DSSE <c>keyid</c>.</summary>
    public string KeyId { get; init; } = "";
    /// <summary>The ECDSA P-256 public key as base64 SubjectPublicKeyInfo (DER).</summary>
    public string PublicKey { get; init; } = "";
    public Actor RegisteredBy { get; init; } = null!;
    public DateTimeOffset RegisteredAt { get; init; }
    public bool Revoked { get; init; }
    public string? RevocationReason { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The key as a verifier trusts it (or, once revoked, no longer does).</summary>
    public TrustedKey Trusted() => new(KeyId, Convert.FromBase64String(PublicKey), Revoked);

    public ScannerState Evolve(object @event) => @event switch
    {
        ScannerRegistered e => new ScannerState
        {
            Id = e.ScannerId, Name = e.Name, KeyId = e.KeyId, PublicKey = e.PublicKey, RegisteredBy = e.By, RegisteredAt = e.At,
        },
        ScannerKeyRevoked e => this with { Revoked = true, RevocationReason = e.Reason, RevokedAt = e.At },
        _ => this,
    };
}

public abstract record ScannerCommand(Guid ScannerId)
{
    /// <summary>An admin registers a scanner's public key; <see cref="KeyInUse"/> says whether another scanner already has it.</summary>
    public sealed record Register(Guid ScannerId, string Name, byte[] SubjectPublicKeyInfo, bool KeyInUse) : ScannerCommand(ScannerId);

    public sealed record Revoke(Guid ScannerId, string Reason) : ScannerCommand(ScannerId);
}

public static class ScannerDecider
{
    public static Decision Decide(ScannerCommand command, ScannerState? state, Actor by, DateTimeOffset at) => (command, state) switch
    {
        (ScannerCommand.Register { KeyInUse: true } c, _) =>
            Decision.Refuse(409, "Key already registered", $"A scanner with key {Dsse.KeyIdOf(c.SubjectPublicKeyInfo)} is already registered."),
        (ScannerCommand.Register c, null) => Decision.Append(new ScannerRegistered(c.ScannerId, c.Name, Dsse.KeyIdOf(c.SubjectPublicKeyInfo),
            Convert.ToBase64String(c.SubjectPublicKeyInfo), by, at)),
        (ScannerCommand.Register c, _) => Decision.Refuse(409, "Scanner exists", $"A scanner with id {c.ScannerId} is already registered."),
        (_, null) => Decision.Refuse(404, "Scanner not found", $"No scanner has id {command.ScannerId}."),
        (ScannerCommand.Revoke, { Revoked: true } s) => Decision.Refuse(409, "Already revoked", $"The key {s.KeyId} was revoked at {s.RevokedAt:O}."),
        (ScannerCommand.Revoke c, var s) => Decision.Append(new ScannerKeyRevoked(s.Id, s.KeyId, c.Reason, by, at)),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No rule decides this command."),
    };

    /// <summary>Reads a PEM or base64 SubjectPublicKeyInfo and insists on ECDSA P-256, the only curve attestations use.</summary>
    public static bool TryReadKey(string text, out byte[] spki, out string? problem)
    {
        spki = [];
        problem = null;
        try
        {
            using var key = ECDsa.Create();
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) key.ImportFromPem(text);
            else key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            if (key.ExportParameters(false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
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
}

/// <summary>A scanner as a write answers it; a revocation also names the re-assessment that withdraws the key's attestations.</summary>
public sealed record ScannerChange(ScannerState Scanner, ReassessmentRun? Reassessment) : IVersioned
{
    public long Version => Scanner.Version;
}

/// <summary>
/// The one write path of a scanner: load, decide, append; a revocation also queues the withdrawal of the attestations
/// the key signed (their deployments are re-assessed in the background); save; read back.
/// </summary>
public sealed class ScannerHandler(IDocumentSession session, TimeProvider clock)
{
    public static string RunId(Guid scannerId) => $"scanner-{scannerId}";

    public async Task<Outcome<ScannerChange>> HandleAsync(ScannerCommand command, Actor by, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        // No stream has the empty id (Marten refuses to look one up): it names no scanner.
        if (command.ScannerId == Guid.Empty) return ScannerDecider.Decide(command, null, by, at).Refusal!;
        var stream = await session.Events.FetchForWriting<ScannerState>(command.ScannerId, ct);
        var decision = ScannerDecider.Decide(command, stream.Aggregate, by, at);
        if (decision.Refusal is { } refusal) return refusal;
        stream.AppendMany(decision.Events);
        var run = decision.Events.OfType<ScannerKeyRevoked>().Any()
            ? ReassessmentRun.Queue(RunId(command.ScannerId), "attestation-withdrawn", by, at)
            : null;
        if (run is not null) session.Store(run);
        await session.SaveChangesAsync(ct);
        return new ScannerChange((await session.Events.FetchLatest<ScannerState>(command.ScannerId, ct))!, run);
    }
}
