using Governance.Api.Events;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

/// <summary>The latest assessment, as far as decisions need it.</summary>
public sealed record AssessmentOnRecord(Verdict Verdict, IReadOnlyList<Finding> Findings, string CatalogVersion, long? CompanyVersion);

/// <summary>
/// The latest attestation recorded: which envelope, signed by which key, about which scan, what the artifact says about
/// itself (<see cref="Claims"/>) and the license files shipped with it (identified at each assessment, against the
/// catalog's texts in force then).
/// </summary>
public sealed record AttestationOnRecord(
    string EnvelopeSha256, string KeyId, DateTimeOffset ScannedAt, ArtifactClaims Claims, IReadOnlyList<FootprintLicenseFile>? LicenseFiles = null,
    string? Environment = null, MeasuredFootprint? Measured = null);

/// <summary>
/// A deployment as its decisions see it: the write model, folded from the stream by <see cref="Evolve"/> (pure; Marten's
/// convention for immutable self-aggregating types) and kept as an inline snapshot, so <c>FetchForWriting</c> loads it in one read. The scan queue is a query over these
/// documents (<see cref="Status"/>, <see cref="Attestation"/>, <see cref="LeaseExpiresAt"/>, <see cref="ScanFailedAt"/>),
/// never over the public read model.
/// </summary>
public sealed record DeploymentState
{
    public Guid Id { get; init; }

    /// <summary>The stream version the state reflects (set by Marten): bulk re-assessments append at it.</summary>
    public long Version { get; init; }

    public string Name { get; init; } = "";
    public DeploymentStatus Status { get; init; }
    public ModelFacts Model { get; init; } = null!;
    public UsageFacts Usage { get; init; } = null!;
    public AssessmentOnRecord? Assessment { get; init; }

    /// <summary>Waivers granted with the approval and not yet lapsed.</summary>
    public IReadOnlyList<Waiver> Waivers { get; init; } = [];

    /// <summary>The earliest expiry among <see cref="Waivers"/>: the sweep finds lapsing waivers by it.</summary>
    public DateOnly? NextWaiverExpiry { get; init; }

    /// <summary>What legal accepted when approving (<see cref="Basis"/>): anything new demands a review.</summary>
    public IReadOnlyList<string> ApprovedBasis { get; init; } = [];

    public AttestationOnRecord? Attestation { get; init; }

    /// <summary>What the attestation before <see cref="Attestation"/> measured: the baseline drift is judged against.</summary>
    public MeasuredFootprint? PreviousMeasurement { get; init; }

    /// <summary><see cref="Attestation"/> is of the registered artifact and was not withdrawn.</summary>
    public bool HasValidAttestation { get; init; }

    /// <summary>Digests of every envelope ever accepted: the same envelope twice is a replay.</summary>
    public IReadOnlyList<string> AttestationDigests { get; init; } = [];

    /// <summary>The last scan that could not attest the artifact, until a valid attestation replaces it.</summary>
    public ScanObservation? ScanFailure { get; init; }

    public DateTimeOffset? ScanFailedAt { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }

    public DeploymentFacts Facts() => new(Model, Usage);

    /// <summary>
    /// What the evaluator gets from the scanners: what a valid attestation's artifact says (its license files identified
    /// among <paramref name="policies"/>' texts), and a failed scan.
    /// </summary>
    public AttestationFacts Evidence(PolicySet policies, double driftTolerance) => new(
        HasValidAttestation,
        ScanFailure is { } failure ? [failure] : [],
        HasValidAttestation && Attestation is { } a
            ? a.Claims with { LicenseFiles = [.. (a.LicenseFiles ?? []).Select(f => policies.Identify(f, Model.LicenseId))] }
            : null,
        Attestation?.Measured is { } now && PreviousMeasurement is { } before ? new FootprintDrift(before, now, driftTolerance) : null);

    /// <summary>The state after <paramref name="event"/>. A stream starts from <c>new DeploymentState()</c> and its registration.</summary>
    public DeploymentState Evolve(object @event)
    {
        var s = this;
        return @event switch
        {
            DeploymentRegistered e => new DeploymentState
            {
                Id = e.DeploymentId, Name = e.Name, Status = DeploymentStatus.PendingReview, Model = e.Model.ToDomain(),
                Usage = e.Usage.ToDomain(), RegisteredAt = e.At,
            },
            DeploymentAssessed e => s with { Assessment = new AssessmentOnRecord(e.Verdict, e.Findings.ToDomain(), e.CatalogVersion, e.CompanyVersion) },
            AssessmentConfirmed e when s.Assessment is { } a => s with { Assessment = a with { CatalogVersion = e.CatalogVersion, CompanyVersion = e.CompanyVersion } },
            DeploymentUsageReported e => s with { Usage = e.Usage.ToDomain() },
            DeploymentApproved e => s with
            {
                Status = DeploymentStatus.Approved, Waivers = e.Waivers.ToDomain(), NextWaiverExpiry = Earliest(e.Waivers.ToDomain()),
                ApprovedBasis = Basis(s.Assessment?.Findings ?? []),
            },
            DeploymentRejected _ => s with { Status = DeploymentStatus.Rejected },
            WaiverLapsed e => s with { Waivers = Remaining(s.Waivers, e), NextWaiverExpiry = Earliest(Remaining(s.Waivers, e)) },
            DeploymentReviewRequired _ => s with { Status = DeploymentStatus.ReviewRequired },
            DeploymentRetired _ => s with { Status = DeploymentStatus.Retired },
            ScanLeased e => s with { LeaseExpiresAt = e.ExpiresAt },
            DeploymentAttested e => s with
            {
                Attestation = new AttestationOnRecord(e.EnvelopeSha256, e.KeyId, e.Predicate.ScannedAt, Claims(e.Predicate), LicenseEvidence(e.Predicate),
                    EnvironmentKey(e.Predicate.Environment), Measured(e.Predicate)),
                PreviousMeasurement = s.Attestation?.Measured ?? s.PreviousMeasurement,
                HasValidAttestation = IsOfArtifact(e, s.Model),
                AttestationDigests = [.. s.AttestationDigests, e.EnvelopeSha256],
                LeaseExpiresAt = null, ScanFailure = null, ScanFailedAt = null,
            },
            ScanFailed e => s with { ScanFailure = new ScanObservation(e.Code, e.Message, e.Facts), ScanFailedAt = e.At, LeaseExpiresAt = null },
            AttestationWithdrawn e when s.Attestation?.EnvelopeSha256 == e.EnvelopeSha256 => s with { HasValidAttestation = false },
            _ => s,
        };
    }

    /// <summary>The findings that need legal's acceptance, as keys that survive message rewording.</summary>
    public static IReadOnlyList<string> Basis(IEnumerable<Finding> findings) =>
        findings.Where(f => f.Severity != Severity.Info).Select(f => $"{f.Code}@{f.ClauseId}").Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>A lapsed waiver leaves the list; others stay.</summary>
    public static IReadOnlyList<Waiver> Remaining(IReadOnlyList<Waiver> waivers, WaiverLapsed lapsed) =>
        waivers.Where(w => !(w.FindingCode == lapsed.FindingCode && w.ExpiresOn == lapsed.ExpiredOn)).ToList();

    public static DateOnly? Earliest(IReadOnlyList<Waiver> waivers) => waivers.Count == 0 ? null : waivers.Min(w => w.ExpiresOn);

    /// <summary>An attestation counts only for the registered artifact.</summary>
    public static bool IsOfArtifact(DeploymentAttested e, ModelFacts model) =>
        string.Equals(e.Predicate.Artifact.Sha256, model.ArtifactSha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What an attestation is true for, besides the artifact: the device, driver, CUDA and llama.cpp build it was measured
    /// on. When the scanner that made it reports another, the deployment is scanned again.
    /// </summary>
    public static string EnvironmentKey(FootprintEnvironment? e) =>
        e is null ? "" : string.Join(" | ", e.Backend, e.Device, e.Driver, e.CudaVersion, e.LlamaCppBuild);

    /// <summary>The figures drift is judged on; none for an inspection-only attestation.</summary>
    public static MeasuredFootprint? Measured(ModelFootprint p) =>
        !MeasurementKind.IsMeasured(p) || p.Throughput.Count == 0 ? null
            : new MeasuredFootprint(p.Throughput.Where(t => t.Test is not null).GroupBy(t => t.Test!).ToDictionary(g => g.Key, g => g.Last().MeanTokensPerSecond),
                p.Footprint?.DeviceBytes?.Measured ?? p.Footprint?.DeviceBytes?.Total, EnvironmentKey(p.Environment), p.ScannedAt);

    /// <summary>
    /// What the attested file says about its license and lineage, for the evaluator to judge. A license field that holds a
    /// license's text (<see cref="LicenseText.IsText"/>) names no license: the text is evidence (<see cref="LicenseEvidence"/>).
    /// </summary>
    public static ArtifactClaims Claims(ModelFootprint predicate) =>
        new(LicenseText.IsText(predicate.Metadata?.License) ? null : predicate.Metadata?.License, predicate.Metadata?.LicenseName,
            predicate.Metadata?.LicenseLink, predicate.Metadata?.BaseModels ?? []);

    /// <summary>The license files shipped with the artifact and, when its license field holds a text, that text as one more, identified the same way.</summary>
    public static IReadOnlyList<FootprintLicenseFile> LicenseEvidence(ModelFootprint predicate) =>
        predicate.Metadata?.License is { } field && LicenseText.IsText(field)
            ?
            [
                .. predicate.Metadata.LicenseFiles ?? [],
                new FootprintLicenseFile
                {
                    File = "metadata.license", SizeBytes = System.Text.Encoding.UTF8.GetByteCount(field),
                    Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(field))),
                    Fingerprint = LicenseText.Fingerprint(field),
                },
            ]
            : predicate.Metadata?.LicenseFiles ?? [];
}
