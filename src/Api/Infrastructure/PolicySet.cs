using Governance.Attestations;
using Governance.Policies;
using Governance.Policies.Catalog;

namespace Governance.Api.Infrastructure;

/// <summary>
/// The license catalog, the model catalog and the default company rules, loaded from the policies folder once at
/// start-up. A malformed or contradictory file stops the Api with a message naming the file and the problem.
/// </summary>
public sealed class PolicySet(LicenseCatalog catalog, ModelCatalog models, CompanyRules defaultRules,
    IReadOnlyDictionary<string, LicenseFingerprint>? licenseTexts = null)
{
    public LicenseCatalog Catalog { get; } = catalog;
    public ModelCatalog Models { get; } = models;
    public CompanyRules DefaultRules { get; } = defaultRules;

    /// <summary>The catalog licenses' own texts (<c>policies/license-texts/&lt;id&gt;.txt</c>), fingerprinted as scanners fingerprint a LICENSE file.</summary>
    public IReadOnlyDictionary<string, LicenseFingerprint> LicenseTexts { get; } = licenseTexts ?? new Dictionary<string, LicenseFingerprint>();

    /// <summary>
    /// What an assessment says it was made against: one digest over both catalogs and the license texts, so a change to
    /// any re-assesses the deployments it could affect.
    /// </summary>
    public string Version { get; } = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"{catalog.Version}\n{models.Version}\n" +
            string.Join("\n", (licenseTexts ?? new Dictionary<string, LicenseFingerprint>()).OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => $"{t.Key}:{t.Value.NormalizedSha256}")))))[..16];

    /// <summary>Which catalog license a shipped license file's text is, and whether it reads as the declared license's own text.</summary>
    public LicenseFileClaim Identify(FootprintLicenseFile file, string declaredLicenseId)
    {
        if (file.Fingerprint is not { } fingerprint) return new LicenseFileClaim(file.File ?? "(unnamed)", null, 0, false);
        var match = LicenseText.Identify(fingerprint, LicenseTexts);
        var declaredText = LicenseTexts.GetValueOrDefault(declaredLicenseId) is { } own && LicenseText.Similarity(fingerprint, own) >= LicenseText.DefaultThreshold;
        return new LicenseFileClaim(file.File ?? "(unnamed)", match?.LicenseId, match?.Similarity ?? 0, declaredText);
    }

    public static PolicySet Load(string directory)
    {
        var licenses = Path.Combine(directory, "licenses");
        if (!System.IO.Directory.Exists(licenses))
            throw new InvalidOperationException(
                $"No license catalog at '{licenses}'. Set Governance:PoliciesDir to the folder holding licenses/ and company-rules.yaml.");
        var catalog = LicenseCatalog.Parse(System.IO.Directory.EnumerateFiles(licenses, "*.yaml")
            .Select(f => new CatalogSource(Path.GetFileName(f), File.ReadAllText(f))));
        var modelsDir = Path.Combine(directory, "models");
        var models = System.IO.Directory.Exists(modelsDir)
            ? ModelCatalog.Parse(System.IO.Directory.EnumerateFiles(modelsDir, "*.yaml").Select(f => new CatalogSource(Path.GetFileName(f), File.ReadAllText(f))), catalog)
            : ModelCatalog.Empty;
        var rulesFile = Path.Combine(directory, "company-rules.yaml");
        var rules = File.Exists(rulesFile) ? CompanyRulesFile.Parse("company-rules.yaml", File.ReadAllText(rulesFile)) : CompanyRules.None;
        var textsDir = Path.Combine(directory, "license-texts");
        var texts = System.IO.Directory.Exists(textsDir)
            ? System.IO.Directory.EnumerateFiles(textsDir, "*.txt").ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => LicenseText.Fingerprint(File.ReadAllText(f)), StringComparer.Ordinal)
            : [];
        foreach (var id in texts.Keys.Where(id => catalog.Find(id) is null))
            throw new CatalogException([new CatalogError($"license-texts/{id}.txt", $"'{id}' is not a license id of the catalog")]);
        return new PolicySet(catalog, models, rules, texts);
    }

    /// <summary>The policies folder: configured, else copied beside the binaries, else found above the working directory.</summary>
    public static string Locate(GovernanceOptions options)
    {
        if (options.PoliciesDir is { Length: > 0 } configured) return Path.GetFullPath(configured);
        var besideBinaries = Path.Combine(AppContext.BaseDirectory, "policies");
        if (System.IO.Directory.Exists(besideBinaries)) return besideBinaries;
        for (var dir = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "policies", "licenses")))
                return Path.Combine(dir.FullName, "policies");
        return besideBinaries;
    }
}
