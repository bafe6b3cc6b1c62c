using System.Diagnostics;
using Governance.Scanner.Native;

namespace Governance.Scanner.Tests.Native;

/// <summary>Paths into the fetched natives, failing with the fix when something is absent (never skipping).</summary>
internal static class NativeTestEnvironment
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The llama.cpp v0.5.0 source eng/natives/fetch.sh clones from node-llama-cpp's bundle.</summary>
    public static string LlamaSource
    {
        get
        {
            var dir = Path.Combine(RepoRoot, "natives", "llama.cpp");
            if (!File.Exists(Path.Combine(dir, "include", "llama.h")))
            {
                Assert.Fail($"The llama.cpp v0.5.0 source is not at {dir}. Run `{LlamaNatives.FetchCommand}` from the repository root (needs npm and git).");
            }
            return dir;
        }
    }

    public static string VocabModel(string name = "llama-bpe")
    {
        var path = Path.Combine(LlamaSource, "models", $"ggml-vocab-{name}.gguf");
        Assert.True(File.Exists(path), $"{path} is missing; run `{LlamaNatives.FetchCommand} --force`.");
        return path;
    }

    public static LlamaRuntime Runtime => LlamaRuntime.Instance;

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "governance-native-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {arguments} did not finish within two minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Governance.sln above {AppContext.BaseDirectory}.");
    }
}
