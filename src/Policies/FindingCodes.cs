namespace Governance.Policies;

/// <summary>The finding codes are part of the public contract: clients and reports key on them.</summary>
public static class FindingCodes
{
    public const string UnknownLicense = "unknown-license";
    public const string NonCommercialLicense = "non-commercial-license";
    public const string MauThresholdExceeded = "mau-threshold-exceeded";
    public const string RevenueThresholdExceeded = "revenue-threshold-exceeded";
    public const string ThresholdFactsMissing = "threshold-facts-missing";
    public const string AttributionRequired = "attribution-required";
    public const string NoticeRequired = "notice-required";
    public const string DerivativeNaming = "derivative-naming";
    public const string OutputTrainingProhibited = "output-training-prohibited";
    public const string HostingRestricted = "hosting-restricted";
    public const string GeographicRestriction = "geographic-restriction";
    public const string UseRestriction = "use-restriction";
    public const string UseRestrictionsPassdown = "use-restrictions-passdown";
    public const string ResidencyViolation = "residency-violation";
    public const string OriginDenied = "origin-denied";
    public const string AttestationRequired = "attestation-required";
    public const string ThresholdWithinLimit = "threshold-within-limit";
    public const string LicenseMismatch = "license-mismatch";
    public const string LicenseUndeclared = "license-undeclared";
    public const string LineageMismatch = "lineage-mismatch";
    public const string ArtifactMismatch = "artifact-mismatch";
    public const string ArtifactUnreadable = "artifact-unreadable";
    public const string ArchitectureUnsupported = "architecture-unsupported";
    public const string AttestationDrift = "attestation-drift";
    public const string BusinessGate = "business-gate";
    public const string ModelFactsMismatch = "model-facts-mismatch";
    public const string LicenseConflict = "license-conflict";
    public const string LineageUnresolved = "lineage-unresolved";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        UnknownLicense, NonCommercialLicense, MauThresholdExceeded, RevenueThresholdExceeded, ThresholdFactsMissing,
        AttributionRequired, NoticeRequired, DerivativeNaming, OutputTrainingProhibited, HostingRestricted,
        GeographicRestriction, UseRestriction, UseRestrictionsPassdown, ResidencyViolation, OriginDenied,
        AttestationRequired, ThresholdWithinLimit, LicenseMismatch, LicenseUndeclared, LineageMismatch, ArtifactMismatch, ArtifactUnreadable, ArchitectureUnsupported, AttestationDrift,
        BusinessGate, ModelFactsMismatch, LicenseConflict, LineageUnresolved,
    };
}
