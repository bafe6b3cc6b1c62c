using Governance.Api.Events;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

/// <summary>
/// The latest assessment: its findings, and what it was made (or last confirmed) against: <see cref="CatalogVersion"/>
/// and <see cref="CompanyVersion"/> (null for assessments recorded before company versions were kept).
/// </summary>
public sealed record AssessmentView(
    Verdict Verdict, IReadOnlyList<Finding> Findings, string CatalogVersion, string Trigger, DateOnly AssessedOn, DateTimeOffset AssessedAt,
    long? CompanyVersion = null);

public sealed record DecisionView(string Decision, string Justification, Actor By, DateTimeOffset At);

/// <summary>The latest attestation recorded. <see cref="Valid"/>: of the registered artifact and not withdrawn.</summary>
public sealed record AttestationView(
    string EnvelopeSha256, string KeyId, Guid ScannerId, string ScannerName, ModelFootprint Predicate, DateTimeOffset RecordedAt,
    bool Withdrawn, string? WithdrawalReason, bool Valid);

public sealed record LeaseView(Guid LeaseId, Actor By, DateTimeOffset ExpiresAt);

public sealed record ScanFailureView(string Code, string Message, IReadOnlyDictionary<string, string> Facts, Actor By, DateTimeOffset At);

/// <summary>
/// A deployment as people read it: the read model served by the API and the console, kept by Marten in the same
/// transaction as the events (a write is visible to the next read). Decisions never use it; they use
/// <see cref="DeploymentState"/>.
/// </summary>
public sealed class DeploymentView : IVersioned
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

    /// <summary>What sent the deployment to review (an assessment trigger such as <c>usage-reported</c>); null unless review is required.</summary>
    public string? ReviewTrigger { get; set; }

    public AttestationView? Attestation { get; set; }
    public LeaseView? Lease { get; set; }

    /// <summary>The last scan that could not attest the artifact, until a valid attestation replaces it.</summary>
    public ScanFailureView? ScanFailure { get; set; }

    public Actor RegisteredBy { get; set; } = null!;
    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>
    /// The last change someone would notice: registration, findings or verdict, usage, a decision, a review, an
    /// attestation or scan failure, a lapsed waiver. Not a confirmation that the findings still hold under a newer company
    /// or catalog: one usage report confirms every open deployment, and the inbox and lists sorted by it would reshuffle
    /// for nothing (and the row could not stay on its page, see MartenSetup).
    /// </summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }

    public static DeploymentView Create(DeploymentRegistered e) => new()
    {
        Id = e.DeploymentId, Name = e.Name, Model = e.Model.ToDomain(), Usage = e.Usage.ToDomain(), Status = DeploymentStatus.PendingReview,
        RegisteredBy = e.By, RegisteredAt = e.At, UpdatedAt = e.At,
    };

    public void Apply(DeploymentAssessed e) =>
        (Assessment, UpdatedAt) = (new AssessmentView(e.Verdict, e.Findings.ToDomain(), e.CatalogVersion, e.Trigger, e.AssessedOn, e.At, e.CompanyVersion), e.At);

    public void Apply(AssessmentConfirmed e)
    {
        if (Assessment is { } a)
            Assessment = a with { CatalogVersion = e.CatalogVersion, CompanyVersion = e.CompanyVersion, Trigger = e.Trigger, AssessedOn = e.AssessedOn, AssessedAt = e.At };
    }

    public void Apply(DeploymentUsageReported e) => (Usage, UpdatedAt) = (e.Usage.ToDomain(), e.At);

    public void Apply(DeploymentApproved e)
    {
        Status = DeploymentStatus.Approved;
        Decision = new DecisionView("approve", e.Justification, e.By, e.At);
        Waivers = [.. e.Waivers.ToDomain()];
        NextWaiverExpiry = DeploymentState.Earliest(Waivers);
        ApprovedBasis = [.. DeploymentState.Basis(Assessment?.Findings ?? [])];
        (ReviewReason, ReviewTrigger, UpdatedAt) = (null, null, e.At);
    }

    public void Apply(DeploymentRejected e)
    {
        Status = DeploymentStatus.Rejected;
        Decision = new DecisionView("reject", e.Justification, e.By, e.At);
        (ReviewReason, ReviewTrigger, UpdatedAt) = (null, null, e.At);
    }

    public void Apply(WaiverLapsed e)
    {
        Waivers = [.. DeploymentState.Remaining(Waivers, e)];
        NextWaiverExpiry = DeploymentState.Earliest(Waivers);
        UpdatedAt = e.At;
    }

    public void Apply(DeploymentReviewRequired e) =>
        (Status, ReviewReason, ReviewTrigger, UpdatedAt) = (DeploymentStatus.ReviewRequired, e.Reason, e.Trigger ?? Assessment?.Trigger, e.At);

    public void Apply(DeploymentRetired e) => (Status, RetiredAt, UpdatedAt) = (DeploymentStatus.Retired, e.At, e.At);

    public void Apply(ScanLeased e) => Lease = new LeaseView(e.LeaseId, e.By, e.ExpiresAt);

    public void Apply(DeploymentAttested e)
    {
        Attestation = new AttestationView(e.EnvelopeSha256, e.KeyId, e.ScannerId, e.ScannerName, e.Predicate, e.At, false, null,
            DeploymentState.IsOfArtifact(e, Model));
        (Lease, ScanFailure, UpdatedAt) = (null, null, e.At);
    }

    public void Apply(ScanFailed e) => (ScanFailure, Lease, UpdatedAt) = (new ScanFailureView(e.Code, e.Message, e.Facts, e.By, e.At), null, e.At);

    public void Apply(AttestationWithdrawn e)
    {
        if (Attestation?.EnvelopeSha256 == e.EnvelopeSha256)
            Attestation = Attestation with { Withdrawn = true, WithdrawalReason = e.Reason, Valid = false };
        UpdatedAt = e.At;
    }
}
