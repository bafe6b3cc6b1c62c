using System.Text.RegularExpressions;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Artifacts;

/// <summary>
/// Compares what the deployment declares (catalog license id, base models) with what the model file says about
/// itself. Pure: the same inputs give the same findings.
/// </summary>
internal static partial class ArtifactFindings
{
    public static IReadOnlyList<ScanFinding> Compare(string declaredLicenseId, IReadOnlyList<string> declaredBaseModels, ModelMetadata file)
    {
        var findings = new List<ScanFinding>(2);
        if (License(declaredLicenseId, file) is { } license) findings.Add(license);
        if (Lineage(declaredBaseModels, file) is { } lineage) findings.Add(lineage);
        return findings;
    }

    /// <summary>
    /// <c>license-mismatch</c> (blocking) when the file names a license other than the declared one;
    /// <c>license-undeclared</c> (info) when it names none, since silence contradicts nothing.
    /// </summary>
    public static ScanFinding? License(string declaredLicenseId, ModelMetadata file)
    {
        ArgumentNullException.ThrowIfNull(declaredLicenseId);
        ArgumentNullException.ThrowIfNull(file);

        // "other" is the Hugging Face tag for a license without an id of its own; the name then says which.
        var named = IsBlankOrOther(file.License) ? file.LicenseName : file.License;
        var facts = new Dictionary<string, string> { ["declaredLicenseId"] = declaredLicenseId };
        AddIfPresent(facts, "general.license", file.License);
        AddIfPresent(facts, "general.license.name", file.LicenseName);
        AddIfPresent(facts, "general.license.link", file.LicenseLink);

        if (string.IsNullOrWhiteSpace(named))
            return new ScanFinding(ScanFindingCodes.LicenseUndeclared, ScanSeverity.Info,
                "The model file does not name its license; the declared license could not be checked against it.", facts);

        var declared = LicenseKey(declaredLicenseId);
        foreach (var operand in SpdxOperands(named))
            if (LicenseKey(operand) == declared)
                return null;

        return new ScanFinding(ScanFindingCodes.LicenseMismatch, ScanSeverity.Blocking,
            $"The model file says it is licensed under \"{named}\", but the deployment declares \"{declaredLicenseId}\"; " +
            "the assessment was made under a license that may not be the one that governs this model.", facts);
    }

    /// <summary>
    /// <c>lineage-mismatch</c> (blocking) when the file names a base model the deployment does not declare: a
    /// derivative inherits its parent's license terms, so an undeclared parent may carry terms nobody assessed.
    /// A file that names no base model contradicts nothing.
    /// </summary>
    public static ScanFinding? Lineage(IReadOnlyList<string> declaredBaseModels, ModelMetadata file)
    {
        ArgumentNullException.ThrowIfNull(declaredBaseModels);
        ArgumentNullException.ThrowIfNull(file);

        var declared = declaredBaseModels.Select(ModelKey).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        var undeclared = file.BaseModels
            .Where(b => Keys(b).Any() && !Keys(b).Any(declared.Contains))
            .Select(Describe)
            .ToList();
        if (undeclared.Count == 0) return null;

        var facts = new Dictionary<string, string>
        {
            ["declaredBaseModels"] = string.Join("; ", declaredBaseModels),
            ["fileBaseModels"] = string.Join("; ", file.BaseModels.Select(Describe)),
            ["undeclaredBaseModels"] = string.Join("; ", undeclared),
        };
        return new ScanFinding(ScanFindingCodes.LineageMismatch, ScanSeverity.Blocking,
            $"The model file says it derives from {string.Join(", ", undeclared)}, which the deployment does not declare as a base model.",
            facts);
    }

    /// <summary>
    /// One spelling per license: SPDX ids and Hugging Face tags differ in case and separators ("Apache-2.0",
    /// "apache-2.0", "Apache License, Version 2.0"; "llama3.1", "Llama 3.1 Community License").
    /// </summary>
    internal static string LicenseKey(string license)
    {
        var s = license.Trim().ToLowerInvariant();
        if (s.StartsWith("licenseref-", StringComparison.Ordinal)) s = s["licenseref-".Length..];
        var words = NonWord().Split(s).Where(w => w.Length > 0 && !NoiseWords.Contains(w));
        return string.Concat(words);
    }

    private static readonly HashSet<string> NoiseWords = new(StringComparer.Ordinal) { "license", "licence", "version", "community", "agreement" };

    // An SPDX expression ("MIT OR Apache-2.0") matches when any operand is the declared license.
    private static IEnumerable<string> SpdxOperands(string expression) =>
        SpdxOperator().Split(expression.Replace('(', ' ').Replace(')', ' ')).Where(o => !string.IsNullOrWhiteSpace(o));

    /// <summary>A model's name without organisation or URL path, case and separators: "meta-llama/Llama-3.1-8B" and "Llama 3.1 8B" agree.</summary>
    internal static string ModelKey(string? model)
    {
        if (string.IsNullOrWhiteSpace(model)) return "";
        var s = model.Trim().TrimEnd('/');
        s = s[(s.LastIndexOf('/') + 1)..];
        return string.Concat(NonWord().Split(s.ToLowerInvariant()));
    }

    private static IEnumerable<string> Keys(BaseModel b) =>
        new[] { ModelKey(b.Name), ModelKey(b.RepoUrl) }.Where(k => k.Length > 0).Distinct();

    private static string Describe(BaseModel b) =>
        b.Organization is { Length: > 0 } org && b.Name is { Length: > 0 } name ? $"{org}/{name}" : b.Name ?? b.RepoUrl ?? "(unnamed)";

    private static bool IsBlankOrOther(string? license) =>
        string.IsNullOrWhiteSpace(license) || license.Trim().Equals("other", StringComparison.OrdinalIgnoreCase);

    private static void AddIfPresent(Dictionary<string, string> facts, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) facts[key] = value;
    }

    [GeneratedRegex(@"[^a-z0-9.+]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"\s+(?:OR|AND|WITH)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex SpdxOperator();
}
