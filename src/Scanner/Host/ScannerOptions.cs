namespace Governance.Scanner.Host;

/// <summary>
/// The <c>Scanner</c> configuration section (appsettings.json, then environment variables such as
/// <c>Scanner__ApiUrl</c>, then the command line).
/// </summary>
internal sealed class ScannerOptions
{
    public const string Section = "Scanner";

    /// <summary>Base URL of the Governance Api, e.g. https://governance.internal/.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>Bearer token with the scanner role.</summary>
    public string? Token { get; set; }

    /// <summary>Folder holding the GGUF files; searched by file name and, failing that, by digest.</summary>
    public string? ModelsDir { get; set; }

    /// <summary>The signing key's PEM file; default ~/.local/share/governance-scanner/scanner-key.pem.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Seconds between polls when there is no work.</summary>
    public int PollSeconds { get; set; } = 30;

    /// <summary>llama.cpp threads; default the host's physical cores.</summary>
    public int? Threads { get; set; }

    /// <summary>Layers offloaded to the GPU; default all.</summary>
    public int? GpuLayers { get; set; }

    /// <summary>Repetitions per throughput test (llama-bench's -r).</summary>
    public int Repetitions { get; set; } = 5;
}
