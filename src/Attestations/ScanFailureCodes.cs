namespace Governance.Attestations;

/// <summary>
/// Why a scanner could not attest an artifact, as it reports it to <c>POST /deployments/{id}/scan-failures</c>.
/// They become findings of the same codes (Governance.Policies.FindingCodes keeps the one table of finding codes).
/// </summary>
public static class ScanFailureCodes
{
    /// <summary>The file found is not the registered artifact (another SHA-256).</summary>
    public const string ArtifactMismatch = "artifact-mismatch";

    /// <summary>The file is not a model the scanner accepts, so llama.cpp never saw it.</summary>
    public const string ArtifactUnreadable = "artifact-unreadable";

    /// <summary>
    /// A well-formed model of an architecture the scanner's llama.cpp cannot run (facts: <c>architecture</c>,
    /// <c>llamaCpp</c>, <c>reason</c>), or a projector file given as the model; nothing was measured or attested.
    /// </summary>
    public const string ArchitectureUnsupported = "architecture-unsupported";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { ArtifactMismatch, ArtifactUnreadable, ArchitectureUnsupported };
}
