using Governance.Attestations;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

public sealed record DeploymentRegistered(Guid DeploymentId, string Name, ModelFacts Model, UsageFacts Usage, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>An assessment by the evaluator. <see cref="Trigger"/> says what prompted it, <see cref="AssessedOn"/> the date it was made for.</summary>
public sealed record DeploymentAssessed(
    Guid DeploymentId, Verdict Verdict, IReadOnlyList<Finding> Findings, string CatalogVersion, string Trigger, DateOnly AssessedOn,
    Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>The architect reported how the product now uses the model. <see cref="Changed"/> names the fields that differ.</summary>
public sealed record DeploymentUsageReported(Guid DeploymentId, UsageFacts Usage, IReadOnlyList<string> Changed, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record DeploymentApproved(Guid DeploymentId, string Justification, IReadOnlyList<Waiver> Waivers, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record DeploymentRejected(Guid DeploymentId, string Justification, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record WaiverLapsed(Guid DeploymentId, string FindingCode, DateOnly ExpiredOn, string Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>An approved deployment no longer matches what legal approved; someone must look again.</summary>
public sealed record DeploymentReviewRequired(Guid DeploymentId, string Reason, IReadOnlyList<string> FindingCodes, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record DeploymentRetired(Guid DeploymentId, string? Reason, Actor By, DateTimeOffset At) : IRecordedEvent;

public enum DeploymentStatus { PendingReview, Approved, Rejected, ReviewRequired, Retired }

public sealed record AssessmentView(Verdict Verdict, IReadOnlyList<Finding> Findings, string CatalogVersion, string Trigger, DateOnly AssessedOn, DateTimeOffset AssessedAt);

public sealed record DecisionView(string Decision, string Justification, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>
/// A deployment as it stands after its events: the read model served by the API (kept inline, in the same
/// transaction as the events, so a write is visible to the next read) and the state decisions are made on.
/// </summary>
public sealed class DeploymentView
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";
    public DeploymentStatus Status { get; set; }
    public ModelFacts Model { get; set; } = null!;
    public UsageFacts Usage { get; set; } = null!;
    public AssessmentView? Assessment { get; set; }
    public DecisionView? Decision { get; set; }

    /// <summary>Waivers granted with the approval and not yet lapsed.</summary>
    public List<Waiver> Waivers { get; set; } = [];

    /// <summary>The earliest expiry among <see cref="Waivers"/>; indexed so lapsing waivers are found without a scan.</summary>
    public DateOnly? NextWaiverExpiry { get; set; }

    /// <summary>The obligations and blocking findings legal accepted when approving: new ones demand a review.</summary>
    public List<string> ApprovedBasis { get; set; } = [];

    public string? ReviewReason { get; set; }

    /// <summary>The latest recorded attestation of the artifact, if any.</summary>
    public AttestationView? Attestation { get; set; }

    /// <summary>Flattened for the scan queue: a valid, not withdrawn attestation of the registered artifact exists.</summary>
    public bool HasValidAttestation { get; set; }

    /// <summary>Digests of every envelope ever accepted: the same envelope twice is a replay.</summary>
    public List<string> AttestationDigests { get; set; } = [];

    public LeaseView? Lease { get; set; }

    /// <summary>The last scan that could not attest the artifact, until a valid attestation replaces it.</summary>
    public ScanFailureView? ScanFailure { get; set; }

    /// <summary>Flattened for the scan queue: a failed scan is retried only after a pause.</summary>
    public DateTimeOffset? ScanFailedAt { get; set; }

    /// <summary>Flattened for the scan queue: when the current lease lapses.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public Actor RegisteredBy { get; set; } = null!;
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }

    public static DeploymentView Create(DeploymentRegistered e) => new()
    {
        Id = e.DeploymentId, Name = e.Name, Model = e.Model, Usage = e.Usage, Status = DeploymentStatus.PendingReview,
        RegisteredBy = e.By, RegisteredAt = e.At, UpdatedAt = e.At,
    };

    public void Apply(DeploymentAssessed e)
    {
        Assessment = new AssessmentView(e.Verdict, e.Findings, e.CatalogVersion, e.Trigger, e.AssessedOn, e.At);
        UpdatedAt = e.At;
    }

    public void Apply(DeploymentUsageReported e) => (Usage, UpdatedAt) = (e.Usage, e.At);

    public void Apply(DeploymentApproved e)
    {
        Status = DeploymentStatus.Approved;
        Decision = new DecisionView("approve", e.Justification, e.By, e.At);
        Waivers = [.. e.Waivers];
        NextWaiverExpiry = Waivers.Count == 0 ? null : Waivers.Min(w => w.ExpiresOn);
        ApprovedBasis = Assessment is null ? [] : [.. Basis(Assessment.Findings)];
        ReviewReason = null;
        UpdatedAt = e.At;
    }

    public void Apply(DeploymentRejected e)
    {
        Status = DeploymentStatus.Rejected;
        Decision = new DecisionView("reject", e.Justification, e.By, e.At);
        ReviewReason = null;
        UpdatedAt = e.At;
    }

    public void Apply(WaiverLapsed e)
    {
        Waivers.RemoveAll(w => w.FindingCode == e.FindingCode && w.ExpiresOn == e.ExpiredOn);
        NextWaiverExpiry = Waivers.Count == 0 ? null : Waivers.Min(w => w.ExpiresOn);
        UpdatedAt = e.At;
    }

    public void Apply(DeploymentReviewRequired e) => (Status, ReviewReason, UpdatedAt) = (DeploymentStatus.ReviewRequired, e.Reason, e.At);

    public void Apply(ScanLeased e)
    {
        Lease = new LeaseView(e.LeaseId, e.By, e.ExpiresAt);
        LeaseExpiresAt = e.ExpiresAt;
    }

    public void Apply(DeploymentAttested e)
    {
        Attestation = new AttestationView(e.EnvelopeSha256, e.KeyId, e.ScannerId, e.ScannerName, e.Predicate, e.At, false, null);
        HasValidAttestation = string.Equals(e.Predicate.Artifact.Sha256, Model.ArtifactSha256, StringComparison.OrdinalIgnoreCase);
        AttestationDigests.Add(e.EnvelopeSha256);
        (Lease, LeaseExpiresAt, ScanFailure, ScanFailedAt, UpdatedAt) = (null, null, null, null, e.At);
    }

    public void Apply(ScanFailed e)
    {
        ScanFailure = new ScanFailureView(e.Code, e.Message, e.Facts, e.By, e.At);
        (ScanFailedAt, Lease, LeaseExpiresAt, UpdatedAt) = (e.At, null, null, e.At);
    }

    public void Apply(AttestationWithdrawn e)
    {
        if (Attestation?.EnvelopeSha256 == e.EnvelopeSha256)
        {
            Attestation = Attestation with { Withdrawn = true, WithdrawalReason = e.Reason };
            HasValidAttestation = false;
        }
        UpdatedAt = e.At;
    }

    /// <summary>What the evaluator gets from the scanners: a valid attestation's findings, and a failed scan's.</summary>
    public AttestationFacts Evidence()
    {
        var failures = ScanFailure is { } failure ? [new ScanObservation(failure.Code, failure.Message, failure.Facts)] : new List<ScanObservation>();
        var claims = HasValidAttestation && Attestation?.Predicate.Metadata is { } m
            ? new ArtifactClaims(m.License, m.LicenseName, m.LicenseLink, m.BaseModels)
            : null;
        return new AttestationFacts(HasValidAttestation, failures, claims);
    }

    public void Apply(DeploymentRetired e) => (Status, RetiredAt, UpdatedAt) = (DeploymentStatus.Retired, e.At, e.At);

    /// <summary>Applies events in memory, as Marten's projection does, to answer a write without reading back.</summary>
    public DeploymentView When(object e)
    {
        switch (e)
        {
            case DeploymentAssessed x: Apply(x); break;
            case DeploymentUsageReported x: Apply(x); break;
            case DeploymentApproved x: Apply(x); break;
            case DeploymentRejected x: Apply(x); break;
            case WaiverLapsed x: Apply(x); break;
            case DeploymentReviewRequired x: Apply(x); break;
            case DeploymentRetired x: Apply(x); break;
            case ScanLeased x: Apply(x); break;
            case DeploymentAttested x: Apply(x); break;
            case AttestationWithdrawn x: Apply(x); break;
            case ScanFailed x: Apply(x); break;
        }
        Version++;
        return this;
    }

    /// <summary>The findings that need legal's acceptance, as keys that survive message rewording.</summary>
    public static IEnumerable<string> Basis(IEnumerable<Finding> findings) =>
        findings.Where(f => f.Severity != Severity.Info).Select(f => $"{f.Code}@{f.ClauseId}").Distinct().Order(StringComparer.Ordinal);

    public DeploymentFacts Facts() => new(Model, Usage);

    /// <summary>
    /// A private copy to run decisions on. The instance Marten hands out may be the one its inline projection
    /// applies the new events to, so it must never be changed in place.
    /// </summary>
    public DeploymentView Copy() => Infrastructure.Json.Clone(this);
}
