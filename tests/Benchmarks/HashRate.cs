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
        var mib = Bench.Option(args, "--mib", 1024);
        var runs = Bench.Option(args, "--runs", 3);
        var shards = Bench.Option(args, "--shards", 0);
        if (shards > 0) return await RunFolderAsync(mib, shards, runs);
        var dir = Path.Combine(Path.GetTempPath(), "governance-hash-bench");
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

    /// <summary>
    /// A model folder as hubs ship one: <paramref name="shards"/> safetensors-sized files of random bytes plus small
    /// JSON files. The scanner's manifest (FolderManifest: every file hashed, several at once, then the root digest) next
    /// to sha256sum over the same files in one process, and next to the same with one sha256sum per core (xargs -P).
    /// </summary>
    private static async Task<int> RunFolderAsync(int mib, int shards, int runs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "governance-hash-bench-folder");
        Directory.CreateDirectory(dir);
        try
        {
            for (var i = 1; i <= shards; i++) await WriteRandom(Path.Combine(dir, $"model-{i:D5}-of-{shards:D5}.safetensors"), mib / shards);
            foreach (var name in new[] { "config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json", "README.md" })
                await File.WriteAllTextAsync(Path.Combine(dir, name), new string('x', 4096));
            var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToArray();
            var bytes = files.Sum(f => new FileInfo(f).Length);
            await FolderManifest.ComputeAsync(dir); // into the page cache
            Console.WriteLine($"folder: {dir}, {files.Length} files, {bytes / (1024.0 * 1024):F0} MiB; {Environment.ProcessorCount} cores; {runs} alternating runs, median reported");

            var tool = new List<double>();
            var parallel = new List<double>();
            var scanner = new List<double>();
            FolderManifest? manifest = null;
            string[] toolDigests = [];
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                toolDigests = Run("sha256sum", files).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                tool.Add(bytes / sw.Elapsed.TotalSeconds);

                sw.Restart();
                Run("bash", "-c", $"cd '{dir}' && ls | xargs -P {Environment.ProcessorCount} -n 1 sha256sum > /dev/null");
                parallel.Add(bytes / sw.Elapsed.TotalSeconds);

                sw.Restart();
                manifest = await FolderManifest.ComputeAsync(dir);
                scanner.Add(bytes / sw.Elapsed.TotalSeconds);
                Console.WriteLine($"run {i + 1}: sha256sum {tool[^1] / 1e6:F0} MB/s, sha256sum ×{Environment.ProcessorCount} (xargs -P) {parallel[^1] / 1e6:F0} MB/s, FolderManifest {scanner[^1] / 1e6:F0} MB/s");
            }
            var byName = toolDigests.Select(l => (Name: Path.GetFileName(l[66..]), Digest: l[..64])).ToDictionary(x => x.Name, x => x.Digest);
            if (manifest!.Resources.Any(r => byName[r.Name] != r.Sha256)) throw new InvalidOperationException("a file digest differs from sha256sum's");

            var t = Median(tool);
            var s = Median(scanner);
            Console.WriteLine();
            Console.WriteLine("| hasher | MB/s (median) |");
            Console.WriteLine("|---|---|");
            Console.WriteLine($"| sha256sum, one process over the files ({Version()}) | {t / 1e6:F0} |");
            Console.WriteLine($"| sha256sum, one per core (xargs -P {Environment.ProcessorCount}) | {Median(parallel) / 1e6:F0} |");
            Console.WriteLine($"| FolderManifest (files hashed {Math.Clamp(Environment.ProcessorCount, 1, 4)} at a time, then the root digest) | {s / 1e6:F0} |");
            Console.WriteLine();
            Console.WriteLine($"ratio to sha256sum {s / t:F2}×, to sha256sum per core {s / Median(parallel):F2}×; every file digest agrees with sha256sum's");
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
