namespace Governance.Scanner.Artifacts;

/// <summary>
/// One conclusion of reading an artifact, in the shape of the policy evaluator's findings (code, severity, message,
/// the facts it rests on) so both can go into one report.
/// </summary>
internal sealed record ScanFinding(string Code, string Severity, string Message, IReadOnlyDictionary<string, string> Facts);

/// <summary>The finding codes are part of the public contract: clients and reports key on them.</summary>
internal static class ScanFindingCodes
{
    public const string ArtifactMismatch = "artifact-mismatch";
    public const string ArtifactUnreadable = "artifact-unreadable";
    public const string LicenseMismatch = "license-mismatch";
    public const string LicenseUndeclared = "license-undeclared";
    public const string LineageMismatch = "lineage-mismatch";
}

internal static class ScanSeverity
{
    public const string Blocking = "blocking";
    public const string Obligation = "obligation";
    public const string Info = "info";
}
