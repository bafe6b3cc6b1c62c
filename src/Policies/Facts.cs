namespace Governance.Policies;

public enum Hosting { Internal, Saas, Redistributed }

/// <summary>What the model itself accepts. A property of the model (Llama 4 Scout is multimodal even when a product only sends it text).</summary>
public enum Modality { Text, Multimodal }

/// <summary>What the deployment is for. Research and evaluation are what research-only and non-production licenses allow.</summary>
public enum Purpose { Production, Research, Evaluation }

/// <summary>
/// Lines of business that some 2026 licenses gate: a <c>ModelAsAService</c> business gives third parties inference or
/// fine-tuning they control (an API, a hosted endpoint); an <c>AiWorkAssistant</c> business sells an independent
/// AI product for coding or office productivity (Qwen's definition).
/// </summary>
public enum BusinessActivity { ModelAsAService, AiWorkAssistant }

/// <summary>
/// The model as declared for a deployment. <see cref="Repo"/> is the repository id it was registered by
/// (<c>meta-llama/Llama-3.1-8B-Instruct</c>); when the model catalog knows it, the catalog's release date, origin and
/// modality are what the evaluator uses, and declared values that contradict them are reported.
/// </summary>
public sealed record ModelFacts(
    string Name,
    string LicenseId,
    DateOnly ReleaseDate,
    string Origin,
    Modality Modality,
    string ArtifactSha256,
    bool IsDerivative,
    IReadOnlyList<string> BaseModels,
    string? DistributedName,
    int? ContextLength = null,
    string? Repo = null);

/// <summary>
/// How the product uses the model. Product figures are <c>null</c> until declared: a threshold that needs one stays
/// open rather than reading an undeclared value as zero.
/// </summary>
public sealed record UsageFacts(
    bool Commercial,
    Hosting Hosting,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> DataClasses,
    bool DisplaysAttribution,
    bool TrainsOtherModels,
    IReadOnlyList<string> FieldsOfUse,
    long? MonthlyActiveUsers,
    Purpose Purpose = Purpose.Production,
    decimal? MonthlyRevenueUsd = null,
    bool? OffersModelApi = null,
    IReadOnlyList<string>? UserCountries = null)
{
    /// <summary>Whether the model, or a service built on it, reaches anyone outside the company.</summary>
    public bool ReachesThirdParties() => Hosting is Hosting.Saas or Hosting.Redistributed;
}

public sealed record DeploymentFacts(ModelFacts Model, UsageFacts Usage);

/// <summary>One month of company-wide figures (licensee and affiliates).</summary>
public sealed record MonthlyFigures(YearMonth Month, long MonthlyActiveUsers, decimal MonthlyRevenueUsd);

/// <summary>
/// The company as known at the time of assessment: its domicile (principal place of business), the usage it has
/// reported, whether it is a commercial entity (the Mistral Research License excludes any distribution by one), and
/// the lines of business it or its affiliates conduct (<c>null</c> until declared).
/// </summary>
public sealed record CompanyFacts(
    string Name,
    string? Domicile,
    IReadOnlyList<MonthlyFigures> Usage,
    bool CommercialEntity = true,
    IReadOnlyList<BusinessActivity>? Businesses = null)
{
    public static readonly CompanyFacts Unknown = new("", null, []);

    public MonthlyFigures? For(YearMonth month) => Usage.LastOrDefault(u => u.Month == month);

    public MonthlyFigures? LatestOnOrBefore(YearMonth month) =>
        Usage.Where(u => u.Month <= month).OrderBy(u => u.Month).LastOrDefault();
}

public sealed record ResidencyRule(string DataClass, IReadOnlyList<string> AllowedRegions);

/// <summary>The company's own rules, on top of what licenses say.</summary>
public sealed record CompanyRules(
    IReadOnlyList<ResidencyRule> Residency,
    IReadOnlyList<string> DeniedOrigins,
    bool AttestationRequired)
{
    public static readonly CompanyRules None = new([], [], false);
}

/// <summary>
/// Evidence from scanners: whether a valid signed attestation of the registered artifact is on record and what the
/// attested file says about itself (<see cref="Artifact"/>), and why a scan could not attest the artifact
/// (<see cref="ScanFailures"/>). Until an attestation exists, a rule that demands one stays open.
/// </summary>
public sealed record AttestationFacts(
    bool HasValidAttestation, IReadOnlyList<ScanObservation>? ScanFailures = null, ArtifactClaims? Artifact = null, FootprintDrift? Drift = null)
{
    public static readonly AttestationFacts None = new(false);
}

/// <summary>
/// What a scan measured: mean tokens per second per test (<c>pp512</c>, <c>tg128</c>) and the device memory the model
/// took, on the environment it ran on (device, driver, CUDA, llama.cpp build).
/// </summary>
public sealed record MeasuredFootprint(IReadOnlyDictionary<string, double> TokensPerSecond, long? DeviceBytes, string Environment, DateTimeOffset ScannedAt);

/// <summary>
/// The attestation on record against the one before it: a throughput drop or a footprint growth beyond
/// <see cref="Tolerance"/> (a fraction: 0.1 is 10 %) is drift an operator must look at.
/// </summary>
public sealed record FootprintDrift(MeasuredFootprint Previous, MeasuredFootprint Current, double Tolerance);

/// <summary>
/// What the attested artifact says about itself, as signed by a scanner: its license fields, the base models it names,
/// and the license files shipped with it, each as its text was identified among the catalog's license texts.
/// </summary>
public sealed record ArtifactClaims(
    string? License, string? LicenseName, string? LicenseLink, IReadOnlyList<string> BaseModels, IReadOnlyList<LicenseFileClaim>? LicenseFiles = null);

/// <summary>
/// A license file shipped with the artifact: which catalog license its text is (<see cref="IdentifiedAs"/>, null when
/// none is close enough), how close (<see cref="Similarity"/>, 1 for the same text), and whether its text is also close
/// enough to the declared license's own text (<see cref="MatchesDeclaredText"/>: license versions of one family read alike).
/// </summary>
public sealed record LicenseFileClaim(string File, string? IdentifiedAs, double Similarity, bool MatchesDeclaredText);

/// <summary>Why a scan could not attest the artifact (<c>artifact-mismatch</c>, <c>artifact-unreadable</c>), with its facts.</summary>
public sealed record ScanObservation(string Code, string Message, IReadOnlyDictionary<string, string> Facts);

/// <summary>A legal decision to accept a finding until a date, for a reason.</summary>
public sealed record Waiver(string FindingCode, DateOnly ExpiresOn, string Reason, string ApprovedBy);
