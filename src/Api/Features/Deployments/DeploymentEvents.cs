using Governance.Api.Events;
using Governance.Attestations;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

// The deployment stream: one per deployment, id = deployment id. Every event is a fact in the past tense with who
// caused it and when. The class names are the stored type names (deployment_registered, ...): never rename one.

public sealed record DeploymentRegistered(Guid DeploymentId, string Name, StoredModel Model, StoredUsage Usage, Actor By, DateTimeOffset At)
    : IRecordedEvent;

/// <summary>
/// An assessment by the evaluator. <see cref="Trigger"/> says what prompted it, <see cref="AssessedOn"/> the date it was
/// made for, <see cref="CatalogVersion"/> and <see cref="CompanyVersion"/> what it was made against (the company
/// stream's version; null in assessments recorded before it was kept).
/// </summary>
public sealed record DeploymentAssessed(
    Guid DeploymentId, Verdict Verdict, IReadOnlyList<StoredFinding> Findings, string CatalogVersion, string Trigger, DateOnly AssessedOn,
    Actor By, DateTimeOffset At, long? CompanyVersion = null) : IRecordedEvent;

/// <summary>
/// Assessed again against a newer company or catalog version (<see cref="Trigger"/> says what changed), and the findings
/// came out the same: the evidence that the deployment was checked, without repeating the findings.
/// </summary>
public sealed record AssessmentConfirmed(
    Guid DeploymentId, string CatalogVersion, long CompanyVersion, string Trigger, DateOnly AssessedOn, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>The architect reported how the product now uses the model. <see cref="Changed"/> names the fields that differ.</summary>
public sealed record DeploymentUsageReported(Guid DeploymentId, StoredUsage Usage, IReadOnlyList<string> Changed, Actor By, DateTimeOffset At)
    : IRecordedEvent;

public sealed record DeploymentApproved(Guid DeploymentId, string Justification, IReadOnlyList<StoredWaiver> Waivers, Actor By, DateTimeOffset At)
    : IRecordedEvent;

public sealed record DeploymentRejected(Guid DeploymentId, string Justification, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record WaiverLapsed(Guid DeploymentId, string FindingCode, DateOnly ExpiredOn, string Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>
/// An approved deployment no longer matches what legal approved; someone must look again. <see cref="Trigger"/> is the
/// change that caused it (an assessment trigger such as <c>usage-reported</c> or <c>waiver-lapsed</c>; null before it was kept).
/// </summary>
public sealed record DeploymentReviewRequired(
    Guid DeploymentId, string Reason, IReadOnlyList<string> FindingCodes, Actor By, DateTimeOffset At, string? Trigger = null) : IRecordedEvent;

public sealed record DeploymentRetired(Guid DeploymentId, string? Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>
/// A scanner took the deployment for scanning until <see cref="ExpiresAt"/>; if it dies, the lease lapses. It said which
/// key it signs with and the environment it measures on (null before 2026-12).
/// </summary>
public sealed record ScanLeased(
    Guid DeploymentId, Guid LeaseId, DateTimeOffset ExpiresAt, Actor By, DateTimeOffset At, string? KeyId = null, string? Environment = null) : IRecordedEvent;

/// <summary>
/// A signed attestation was verified and recorded: the digest of the DSSE payload (for replay detection and
/// evidence), the key that signed it, the envelope as received, and the predicate as the scanner stated it (the
/// published <c>urn:governance:model-footprint:v1</c> format, versioned by its predicate type).
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

/// <summary>The attestation no longer counts, e.g. because the key that signed it was revoked.</summary>
public sealed record AttestationWithdrawn(Guid DeploymentId, string EnvelopeSha256, string Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

public static class DeploymentEvents
{
    public static readonly IReadOnlyList<Type> Types =
    [
        typeof(DeploymentRegistered), typeof(DeploymentAssessed), typeof(AssessmentConfirmed), typeof(DeploymentUsageReported), typeof(DeploymentApproved),
        typeof(DeploymentRejected), typeof(WaiverLapsed), typeof(DeploymentReviewRequired), typeof(DeploymentRetired),
        typeof(ScanLeased), typeof(DeploymentAttested), typeof(ScanFailed), typeof(AttestationWithdrawn),
    ];
}

public enum DeploymentStatus { PendingReview, Approved, Rejected, ReviewRequired, Retired }
