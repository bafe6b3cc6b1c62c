namespace Governance.Scanner.Artifacts;

/// <summary>
/// Why a file could not be attested (<see cref="Attestations.ScanFailureCodes"/>), with the facts it rests on. It is
/// reported to the Api, where it becomes a blocking finding; whatever the file says about itself (license, lineage) is
/// not judged here but by Governance's evaluator, from the signed metadata.
/// </summary>
internal sealed record ScanFailure(string Code, string Message, IReadOnlyDictionary<string, string> Facts);
