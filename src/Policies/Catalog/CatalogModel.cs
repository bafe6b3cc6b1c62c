namespace Governance.Policies.Catalog;

/// <summary>
/// One model as the model catalog knows it: its repository id, the license (and any further terms its publisher
/// attaches, such as an acceptable-use overlay or a base model's license it acknowledges), its release date, origin,
/// modality and size, the base models it derives from, and where those facts come from.
/// </summary>
public sealed record CatalogModel(
    string Repo,
    string Family,
    string Developer,
    string LicenseId,
    IReadOnlyList<string> AdditionalLicenseIds,
    DateOnly ReleaseDate,
    string Origin,
    Modality Modality,
    decimal? ParametersBillions,
    decimal? ActiveParametersBillions,
    string Architecture,
    IReadOnlyList<string> BaseModels,
    IReadOnlyList<string> Aliases,
    Uri Source,
    Confidence Confidence,
    string? Notes)
{
    /// <summary>Every license the model carries itself: its own, then the ones its publisher attaches.</summary>
    public IEnumerable<string> LicenseIds => AdditionalLicenseIds.Prepend(LicenseId);

    /// <summary>
    /// The model facts for a deployment registered by repository id. Values the architect declared are kept as declared,
    /// so that one contradicting the catalog is reported at assessment (<c>model-facts-mismatch</c>) rather than
    /// overwritten; the others come from the catalog.
    /// </summary>
    public ModelFacts Declare(
        string artifactSha256,
        bool isDerivative = false,
        IReadOnlyList<string>? baseModels = null,
        string? distributedName = null,
        int? contextLength = null,
        string? name = null,
        string? licenseId = null,
        DateOnly? releaseDate = null,
        string? origin = null,
        Modality? modality = null) =>
        new(name ?? Repo[(Repo.IndexOf('/') + 1)..], licenseId ?? LicenseId, releaseDate ?? ReleaseDate, origin ?? Origin,
            modality ?? Modality, artifactSha256, isDerivative, baseModels ?? [], distributedName, contextLength, Repo);
}
