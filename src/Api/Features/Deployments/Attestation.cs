using Governance.Attestations;
using Governance.Policies;

namespace Governance.Api.Features.Deployments;

/// <summary>A scanner took the deployment for scanning until <see cref="ExpiresAt"/>; if it dies, the lease lapses.</summary>
public sealed record ScanLeased(Guid DeploymentId, Guid LeaseId, DateTimeOffset ExpiresAt, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>
/// A signed attestation was verified and recorded: the DSSE envelope's payload digest (for replay detection and
/// evidence), the key that signed it, and the predicate as the scanner stated it.
/// </summary>
public sealed record DeploymentAttested(
    Guid DeploymentId, string EnvelopeSha256, string KeyId, Guid ScannerId, string ScannerName, string Envelope,
    ModelFootprint Predicate, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>
/// A scanner could not attest the artifact: the file it found is not the registered one (<c>artifact-mismatch</c>) or
/// not a model it accepts (<c>artifact-unreadable</c>). Not signed evidence: it can only add a finding, never satisfy one.
/// </summary>
public sealed record ScanFailed(Guid DeploymentId, Guid? LeaseId, string Code, string Message, IReadOnlyDictionary<string, string> Facts, Actor By, DateTimeOffset At)
    : IRecordedEvent;

public sealed record ScanFailureView(string Code, string Message, IReadOnlyDictionary<string, string> Facts, Actor By, DateTimeOffset At);

/// <summary>The attestation no longer counts, e.g. because the key that signed it was revoked.</summary>
public sealed record AttestationWithdrawn(Guid DeploymentId, string EnvelopeSha256, string Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record AttestationView(
    string EnvelopeSha256, string KeyId, Guid ScannerId, string ScannerName, ModelFootprint Predicate, DateTimeOffset RecordedAt,
    bool Withdrawn, string? WithdrawalReason);

public sealed record LeaseView(Guid LeaseId, Actor By, DateTimeOffset ExpiresAt);
