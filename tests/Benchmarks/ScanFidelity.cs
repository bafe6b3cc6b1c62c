using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Governance.Attestations;
using Governance.Scanner.Measurement;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Benchmarks;

/// <summary>
/// The scanner's pp/tg next to llama-bench's, on the same natives, model, threads and sizes, in one run.
///
/// "Same natives" is meant literally: llama-bench is compiled from the v0.5.0 source's tools/llama-bench (two files)
/// and linked against the very .so files the scanner loads (natives/linux-x64: libllama, libggml, libggml-base,
/// libllama-common, and the libggml-cpu-* variant ggml picks at run time). Rebuilding all of llama.cpp with cmake
/// would compare the scanner against different kernels, compiled with different flags; this compares the loop only.
/// The binary is cached in natives/llama-bench/ (git-ignored); the build takes ~20 s.
/// </summary>
public static class ScanFidelity
{
    public static int Run(string[] args)
    {
        var threads = Bench.Option(args, "--threads", HostProbe.PhysicalCores());
        var pp = Bench.Option(args, "-p", 512);
        var tg = Bench.Option(args, "-n", 128);
        var reps = Bench.Option(args, "-r", 5);
        var rounds = Bench.Option(args, "--rounds", 6);
        var root = RepoRoot();
        var natives = Path.Combine(root, "natives", "linux-x64");
        var bench = EnsureLlamaBench(root, natives, rebuild: args.Contains("--rebuild"));

        var shape = new TinyLlamaOptions { Name = "fidelity", Embedding = 256, Heads = 8, KvHeads = 4, FeedForward = 768, Layers = 8, Context = 2048, F16 = true };
        var dir = Path.Combine(Path.GetTempPath(), "governance-fidelity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var model = Path.Combine(dir, "fidelity.gguf");
        try
        {
            TinyLlama.Write(model, shape);
            Console.WriteLine($"model: random-weight llama, {TinyLlama.ParameterCount(shape) / 1e6:F2} M parameters, F16, {new FileInfo(model).Length / 1e6:F1} MB");
            Console.WriteLine($"llama-bench: {bench}");
            Console.WriteLine($"natives: {natives}");
            // llama-bench makes a context per test, n_ctx = n_prompt + n_gen (512 for pp512, 128 for tg128); the scanner
            // runs both tests in one context, here the smallest that holds either.
            Console.WriteLine($"threads {threads}, -p {pp} -n {tg} -r {reps}, {rounds} round(s), order alternating; scanner context {Math.Max(pp, tg)}");
            Console.WriteLine();

            var llama = new Dictionary<string, List<double>>();
            var scanner = new Dictionary<string, List<double>>();
            var llamaSd = new Dictionary<string, List<double>>();
            var scannerSd = new Dictionary<string, List<double>>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternating the order cancels drift (turbo, a neighbour on the VM) between the two.
                var order = round % 2 == 0 ? new[] { "llama-bench", "scanner" } : ["scanner", "llama-bench"];
                foreach (var who in order)
                {
                    var results = who == "llama-bench"
                        ? RunLlamaBench(bench, natives, model, threads, pp, tg, reps)
                        : Measurer.Measure(model, new BenchSettings { PromptTokens = pp, GenerateTokens = tg, Repetitions = reps, Threads = threads, ContextLength = (uint)Math.Max(pp, tg) }).Throughput;
                    foreach (var t in results)
                    {
                        Console.WriteLine($"round {round + 1} {who,-11} {t.Test,-6} {t.MeanTokensPerSecond,10:F1} ± {t.StddevTokensPerSecond,7:F1} t/s  samples [{string.Join(", ", t.SamplesTokensPerSecond.Select(s => s.ToString("F0", CultureInfo.InvariantCulture)))}]");
                        Add(who == "llama-bench" ? llama : scanner, t.Test!, t.MeanTokensPerSecond);
                        Add(who == "llama-bench" ? llamaSd : scannerSd, t.Test!, t.StddevTokensPerSecond);
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("| test | llama-bench t/s (mean ± sd) | scanner t/s (mean ± sd) | scanner ÷ llama-bench |");
            Console.WriteLine("|---|---|---|---|");
            var worst = double.MaxValue;
            foreach (var test in llama.Keys)
            {
                var l = llama[test].Average();
                var s = scanner[test].Average();
                worst = Math.Min(worst, s / l);
                Console.WriteLine($"| {test} | {l:F1} ± {llamaSd[test].Average():F1} | {s:F1} ± {scannerSd[test].Average():F1} | {s / l:F3} |");
            }
            Console.WriteLine();
            Console.WriteLine($"(means and sds averaged over {rounds} round(s)); lowest ratio {worst:F3}, target >= 0.95: {(worst >= 0.95 ? "met" : "NOT met")}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Add(Dictionary<string, List<double>> into, string key, double value)
    {
        if (!into.TryGetValue(key, out var list)) into[key] = list = [];
        list.Add(value);
    }

    private static List<ThroughputTest> RunLlamaBench(string bench, string natives, string model, int threads, int pp, int tg, int reps)
    {
        // The working directory is the natives folder: llama-bench's ggml_backend_load_all() looks for the
        // libggml-cpu-* variants beside the executable and then in the current directory.
        var (exit, stdout, stderr) = Exec(bench, ["-m", model, "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-p", pp.ToString(CultureInfo.InvariantCulture), "-n", tg.ToString(CultureInfo.InvariantCulture),
            "-r", reps.ToString(CultureInfo.InvariantCulture), "-o", "json"], natives);
        if (exit != 0) throw new InvalidOperationException($"llama-bench exited {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.EnumerateArray().Select(t =>
        {
            var nPrompt = t.GetProperty("n_prompt").GetInt32();
            var nGen = t.GetProperty("n_gen").GetInt32();
            var samples = t.GetProperty("samples_ts").EnumerateArray().Select(s => s.GetDouble()).ToList();
            return new ThroughputTest
            {
                Test = nGen == 0 ? $"pp{nPrompt}" : nPrompt == 0 ? $"tg{nGen}" : $"pp{nPrompt}+tg{nGen}",
                NPrompt = nPrompt, NGen = nGen, Repetitions = samples.Count,
                MeanTokensPerSecond = t.GetProperty("avg_ts").GetDouble(),
                StddevTokensPerSecond = t.GetProperty("stddev_ts").GetDouble(),
                SamplesTokensPerSecond = samples,
            };
        }).ToList();
    }

    private static string EnsureLlamaBench(string root, string natives, bool rebuild)
    {
        var source = Path.Combine(root, "natives", "llama.cpp");
        var output = Path.Combine(root, "natives", "llama-bench", "llama-bench");
        if (File.Exists(output) && !rebuild) return output;
        if (!File.Exists(Path.Combine(source, "tools", "llama-bench", "llama-bench.cpp")))
            throw new InvalidOperationException($"No llama.cpp source at {source}: run bash eng/natives/fetch.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string[] build =
        [
            "-O3", "-DNDEBUG", "-std=c++17", "-I", "include", "-I", "ggml/include", "-I", "common", "-I", "vendor",
            "tools/llama-bench/llama-bench.cpp", "tools/llama-bench/main.cpp", "-o", output,
            "-L" + natives, "-l:libllama-common.so", "-l:libllama.v0.5.0.so", "-l:libggml.v0.5.0.so", "-l:libggml-base.so",
            "-Wl,-rpath," + natives, "-pthread",
        ];
        Console.WriteLine($"building llama-bench: (cd {source} && g++ {string.Join(' ', build)})");
        var (exit, _, stderr) = Exec("g++", build, source);
        if (exit != 0) throw new InvalidOperationException($"g++ failed ({exit}): {stderr}");
        return output;
    }

    private static (int Exit, string Stdout, string Stderr) Exec(string file, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Governance.sln not found above " + AppContext.BaseDirectory);
    }
}
