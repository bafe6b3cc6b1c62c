using System.Diagnostics;
using Governance.Scanner.Artifacts;

namespace Governance.Benchmarks;

/// <summary>
/// The scanner's ArtifactHasher next to coreutils' sha256sum on the same file, in one run. Both read the file from the
/// page cache (it is read once beforehand), so the comparison is of hashing and reading, not of the disk.
/// coreutils 9.1 hashes in portable C; `openssl dgst -sha256` (the SHA-NI code .NET reaches through libcrypto) is
/// timed too, where installed, as the fast reference.
/// </summary>
public static class HashRate
{
    public static async Task<int> RunAsync(string[] args)
    {
        var mib = ScanFidelity.Option(args, "--mib", 1024);
        var runs = ScanFidelity.Option(args, "--runs", 3);
        var dir = Path.Combine(ScanFidelity.RepoRoot(), "natives", ".hash-bench");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"random-{mib}MiB.bin");
        try
        {
            await WriteRandom(file, mib);
            await ArtifactHasher.Sha256Async(file); // into the page cache
            var bytes = new FileInfo(file).Length;
            Console.WriteLine($"file: {file}, {bytes / (1024.0 * 1024):F0} MiB of random bytes; {runs} alternating runs each, median reported");

            var tool = new List<double>();
            var scanner = new List<double>();
            var openssl = new List<double>();
            var hasOpenssl = Exists("openssl");
            string? toolDigest = null, scannerDigest = null;
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                toolDigest = Sha256Sum(file);
                tool.Add(bytes / sw.Elapsed.TotalSeconds);

                sw.Restart();
                scannerDigest = await ArtifactHasher.Sha256Async(file);
                scanner.Add(bytes / sw.Elapsed.TotalSeconds);
                if (hasOpenssl)
                {
                    sw.Restart();
                    var digest = Run("openssl", "dgst", "-sha256", "-r", file).Split(' ')[0];
                    openssl.Add(bytes / sw.Elapsed.TotalSeconds);
                    if (digest != scannerDigest) throw new InvalidOperationException($"openssl digest differs: {digest}");
                }
                Console.WriteLine($"run {i + 1}: sha256sum {tool[^1] / 1e6:F0} MB/s, ArtifactHasher {scanner[^1] / 1e6:F0} MB/s"
                    + (hasOpenssl ? $", openssl {openssl[^1] / 1e6:F0} MB/s" : ""));
            }
            if (toolDigest != scannerDigest) throw new InvalidOperationException($"digests differ: {toolDigest} vs {scannerDigest}");

            var t = Median(tool);
            var s = Median(scanner);
            Console.WriteLine();
            Console.WriteLine("| hasher | MB/s (median) |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| sha256sum ({Version()}) | {t / 1e6:F0} |");
            Console.WriteLine($"| ArtifactHasher | {s / 1e6:F0} |");
            if (hasOpenssl) Console.WriteLine($"| openssl dgst -sha256 ({Run("openssl", "version").Trim()}) | {Median(openssl) / 1e6:F0} |");
            Console.WriteLine();
            Console.WriteLine($"ratio to sha256sum {s / t:F2}× (target >= 0.9×): {(s / t >= 0.9 ? "met" : "NOT met")}"
                + (hasOpenssl ? $"; to openssl {s / Median(openssl):F2}×" : "") + "; digests agree");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task WriteRandom(string path, int mib)
    {
        var chunk = new byte[1024 * 1024];
        await using var stream = File.Create(path);
        for (var i = 0; i < mib; i++)
        {
            Random.Shared.NextBytes(chunk);
            await stream.WriteAsync(chunk);
        }
    }

    private static string Sha256Sum(string file) => Run("sha256sum", file).Split(' ')[0];

    private static string Version() => Run("sha256sum", "--version").Split('\n')[0].Trim();

    private static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
