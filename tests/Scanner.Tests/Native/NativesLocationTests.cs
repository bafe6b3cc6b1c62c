using Governance.Scanner.Native;

namespace Governance.Scanner.Tests.Native;

public sealed class NativesLocationTests
{
    [Fact]
    public void an_empty_folder_named_by_the_override_is_reported_with_the_fetch_command()
    {
        var empty = NativeTestEnvironment.TempDirectory();
        try
        {
            var error = Assert.Throws<LlamaNativesMissingException>(() =>
                LlamaNatives.Locate(Environment(LlamaNatives.DirectoryVariable, empty), AppContext.BaseDirectory));

            Assert.Contains("bash eng/natives/fetch.sh", error.Message);
            Assert.Contains(empty, error.Message);
            Assert.Contains("libllama.v0.5.0.so", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void a_repository_without_natives_is_reported_with_the_folder_it_looked_in()
    {
        var repo = NativeTestEnvironment.TempDirectory();
        try
        {
            File.WriteAllText(Path.Combine(repo, "Governance.sln"), "");
            var bin = Directory.CreateDirectory(Path.Combine(repo, "tests", "bin")).FullName;

            var error = Assert.Throws<LlamaNativesMissingException>(() => LlamaNatives.Locate(Environment(), bin));

            Assert.Contains(Path.Combine(repo, "natives", "linux-x64"), error.Message);
            Assert.Contains("bash eng/natives/fetch.sh", error.Message);
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    [Fact]
    public void the_repository_natives_are_found_by_walking_up_from_the_test_binaries()
    {
        var natives = LlamaNatives.Locate(Environment(LlamaNatives.BackendVariable, "cpu"), AppContext.BaseDirectory);

        Assert.Equal(Path.Combine(NativeTestEnvironment.RepoRoot, "natives", "linux-x64"), natives.Directory);
        Assert.Equal(LlamaBuild.Cpu, natives.Build);
        Assert.Contains("GOVERNANCE_LLAMA_BACKEND=cpu", natives.Selection);
        Assert.Empty(natives.MissingFiles());
    }

    [Fact]
    public void the_override_takes_a_folder_holding_the_cpu_build()
    {
        var folder = Path.Combine(NativeTestEnvironment.RepoRoot, "natives", "linux-x64");

        var natives = LlamaNatives.Locate(Environment(LlamaNatives.DirectoryVariable, folder), "/");

        Assert.Equal((folder, LlamaBuild.Cpu), (natives.Directory, natives.Build));
        Assert.Equal(Path.Combine(folder, "libllama.v0.5.0.so"), natives.PathOf(NativeApi.Llama));
        Assert.Equal(Path.Combine(folder, "libggml.v0.5.0.so"), natives.PathOf(NativeApi.Ggml));
        Assert.Equal(Path.Combine(folder, "libggml-base.so"), natives.PathOf(NativeApi.GgmlBase));
        Assert.Null(natives.PathOf("c"));
    }

    [Fact]
    public void the_backend_that_runs_is_recorded_with_its_devices()
    {
        var runtime = NativeTestEnvironment.Runtime;
        var devices = runtime.Devices();

        Assert.Contains("CPU", runtime.LoadedBackends);
        var cpu = Assert.Single(devices, d => d.Type == GgmlBackendDevType.Cpu);
        Assert.True(cpu.TotalBytes > 0 && cpu.FreeBytes <= cpu.TotalBytes, $"{cpu}");
        Assert.NotEmpty(runtime.SystemInfo);
        var gpu = devices.Any(d => d.Type == GgmlBackendDevType.Gpu && d.Backend == "CUDA");
        Assert.Equal(gpu ? LlamaBackend.Cuda : LlamaBackend.Cpu, runtime.Backend);
        // The CPU build reports no GPU offload; a machine without a driver never selects the CUDA build.
        if (!Directory.Exists("/proc/driver/nvidia"))
        {
            Assert.Equal(LlamaBuild.Cpu, runtime.Natives.Build);
            Assert.Equal(LlamaBackend.Cpu, runtime.Backend);
            Assert.False(runtime.SupportsGpuOffload);
        }
    }

    private static Func<string, string?> Environment(params string[] pairs)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            values[pairs[i]] = pairs[i + 1];
        }
        return name => values.GetValueOrDefault(name);
    }
}
