using System.Globalization;
using System.Text.RegularExpressions;

namespace Governance.Policies.Evaluation;

/// <summary>
/// Compares what the deployment declares (catalog license id, base models) with what the attested file says about
/// itself. The scanner only reports the file's own words; the judgement lives here, beside every other finding.
/// </summary>
internal static partial class ArtifactJudgement
{
    public static IEnumerable<Finding> Judge(ModelFacts declared, ArtifactClaims file)
    {
        if (License(declared.LicenseId, file) is { } license) yield return license;
        if (Lineage(declared.BaseModels, file) is { } lineage) yield return lineage;
    }

    /// <summary>
    /// <c>attestation-drift</c> (obligation) when the model, measured again, runs slower or takes more device memory than
    /// the previous measurement by more than the tolerance: the environment under it changed in a way someone must
    /// look at. Both figures are in the facts.
    /// </summary>
    public static Finding? Drift(FootprintDrift drift)
    {
        var (before, now) = (drift.Previous, drift.Current);
        var changes = new List<string>();
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tolerance"] = Percent(drift.Tolerance),
            ["previousEnvironment"] = before.Environment, ["environment"] = now.Environment,
            ["previousScannedAt"] = before.ScannedAt.ToString("O", CultureInfo.InvariantCulture), ["scannedAt"] = now.ScannedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var (test, then) in before.TokensPerSecond.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!now.TokensPerSecond.TryGetValue(test, out var current) || then <= 0) continue;
            var drop = (then - current) / then;
            if (drop <= drift.Tolerance) continue;
            changes.Add($"{test} fell from {then:0.#} to {current:0.#} tokens/s ({Percent(drop)} slower)");
            (facts[$"{test}.previous"], facts[$"{test}.current"]) = (Number(then), Number(current));
        }
        if (before.DeviceBytes is > 0 and var b && now.DeviceBytes is { } n && (double)(n - b) / b > drift.Tolerance)
        {
            changes.Add($"device memory grew from {b / 1048576.0:0} to {n / 1048576.0:0} MiB ({Percent((double)(n - b) / b)} more)");
            (facts["deviceBytes.previous"], facts["deviceBytes.current"]) = (b.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture));
        }
        return changes.Count == 0 ? null : new Finding(FindingCodes.AttestationDrift, Severity.Obligation, Evaluator.DriftClause,
            $"Measured again, the model drifted beyond the {Percent(drift.Tolerance)} tolerance: {string.Join("; ", changes)}. " +
            "Check the scanner host's environment (device, driver, CUDA, llama.cpp build) before relying on these figures.", facts);
    }

    private static string Percent(double fraction) => fraction.ToString("0.#%", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>license-mismatch</c> (blocking) when the artifact names a license other than the declared one, or ships a
    /// license file whose text is another license's ("permissive-washing": a model card saying <c>apache-2.0</c> over the
    /// Llama 3.1 agreement): both pieces of evidence are in the facts. <c>license-undeclared</c> (info) when the artifact
    /// names no license and ships no text that could be identified, since silence contradicts nothing.
    /// </summary>
    public static Finding? License(string declaredLicenseId, ArtifactClaims file)
    {
        // "other" is the Hugging Face tag for a license without an id of its own; the name then says which.
        var named = IsBlankOrOther(file.License) ? file.LicenseName : file.License;
        var facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["declaredLicenseId"] = declaredLicenseId };
        AddIfPresent(facts, "fileLicense", file.License);
        AddIfPresent(facts, "fileLicenseName", file.LicenseName);
        AddIfPresent(facts, "fileLicenseLink", file.LicenseLink);

        var declared = LicenseKey(declaredLicenseId);
        var saysOther = !string.IsNullOrWhiteSpace(named) && !SpdxOperands(named).Any(operand => LicenseKey(operand) == declared);
        // License versions of one family read alike (Llama 3.1 and 3.3 differ in a few words): a text close enough to the
        // declared license's own is no contradiction, whichever sibling it resembles most.
        var text = (file.LicenseFiles ?? []).FirstOrDefault(f => f.IdentifiedAs is { } id && LicenseKey(id) != declared && !f.MatchesDeclaredText);
        if (text is not null)
        {
            facts["licenseFile"] = text.File;
            facts["licenseFileIdentifiedAs"] = text.IdentifiedAs!;
            facts["licenseFileSimilarity"] = text.Similarity.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (saysOther || text is not null)
        {
            var said = string.IsNullOrWhiteSpace(named) ? "names no license" : $"says it is licensed under \"{Clip(named)}\"";
            var why = (saysOther, text) switch
            {
                (_, { } t) => $"The model {said}, but its license file {t.File} is the text of {t.IdentifiedAs} ({t.Similarity:P0} alike)",
                _ => $"The model file {said}",   // saysOther, no identified text (the condition above rules out neither)
            };
            return new Finding(FindingCodes.LicenseMismatch, Severity.Blocking, Evaluator.ScanClause,
                $"{why}, while the deployment declares \"{declaredLicenseId}\"; the assessment was made under a license that may not be " +
                "the one that governs this model. A license text shipped with the model outranks a tag.", facts);
        }

        if (string.IsNullOrWhiteSpace(named) && !(file.LicenseFiles ?? []).Any(f => f.IdentifiedAs is not null))
            return new Finding(FindingCodes.LicenseUndeclared, Severity.Info, Evaluator.ScanClause,
                "The model file does not name its license; the declared license could not be checked against it.", facts);
        return null;
    }

    /// <summary>
    /// <c>lineage-mismatch</c> (blocking) when the file names a base model the deployment does not declare: a
    /// derivative inherits its parent's license terms, so an undeclared parent may carry terms nobody assessed.
    /// A file that names no base model contradicts nothing.
    /// </summary>
    public static Finding? Lineage(IReadOnlyList<string> declaredBaseModels, ArtifactClaims file)
    {
        var declared = declaredBaseModels.Select(ModelNames.Key).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        var undeclared = file.BaseModels.Where(b => ModelNames.Key(b) is { Length: > 0 } key && !declared.Contains(key)).ToList();
        if (undeclared.Count == 0) return null;

        return new Finding(FindingCodes.LineageMismatch, Severity.Blocking, Evaluator.ScanClause,
            $"The model file says it derives from {string.Join(", ", undeclared)}, which the deployment does not declare as a base model.",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["declaredBaseModels"] = string.Join("; ", declaredBaseModels),
                ["fileBaseModels"] = string.Join("; ", file.BaseModels),
                ["undeclaredBaseModels"] = string.Join("; ", undeclared),
            });
    }

    /// <summary>
    /// One spelling per license: SPDX ids and Hugging Face tags differ in case and separators ("Apache-2.0",
    /// "apache-2.0", "Apache License, Version 2.0"; "llama3.1", "Llama 3.1 Community License").
    /// </summary>
    internal static string LicenseKey(string license)
    {
        var s = license.Trim().ToLowerInvariant();
        if (s.StartsWith("licenseref-", StringComparison.Ordinal)) s = s["licenseref-".Length..];
        return string.Concat(NonWord().Split(s).Where(w => w.Length > 0 && !NoiseWords.Contains(w)));
    }

    private static readonly HashSet<string> NoiseWords = new(StringComparer.Ordinal) { "license", "licence", "version", "community", "agreement" };

    // An SPDX expression ("MIT OR Apache-2.0") matches when any operand is the declared license.
    private static IEnumerable<string> SpdxOperands(string expression) =>
        SpdxOperator().Split(expression.Replace('(', ' ').Replace(')', ' ')).Where(o => !string.IsNullOrWhiteSpace(o));

    private static bool IsBlankOrOther(string? license) =>
        string.IsNullOrWhiteSpace(license) || license.Trim().Equals("other", StringComparison.OrdinalIgnoreCase);

    private static void AddIfPresent(Dictionary<string, string> facts, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) facts[key] = Clip(value);
    }

    /// <summary>
    /// What a file says, as a finding quotes it. Some converters put a whole license text where an id belongs (up to 64 KiB
    /// in an attestation, which keeps all of it); every assessment records its findings, so they quote the beginning.
    /// </summary>
    private static string Clip(string text) =>
        text.Length <= 200 ? text : $"{text[..200]}… ({text.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters)";

    [GeneratedRegex(@"[^a-z0-9.+]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"\s+(?:OR|AND|WITH)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex SpdxOperator();
}
