using Governance.Scanner.Measurement;
using Governance.Scanner.Tests.Native;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Measurement;

[Collection(SerialNative.Name)]
public sealed class MeasurerTests(MeasurerTests.ModelFile file) : IClassFixture<MeasurerTests.ModelFile>
{
    private static readonly BenchSettings Small = new() { PromptTokens = 64, GenerateTokens = 16, Repetitions = 3, Threads = 2, ContextLength = 256 };

    [Fact]
    public void a_tiny_llama_is_measured_like_llama_bench_with_every_repetition_kept()
    {
        var progress = new List<double>();

        var m = Measurer.Measure(file.Path, Small, new SynchronousProgress<double>(progress.Add));

        Assert.Collection(m.Throughput,
            pp =>
            {
                Assert.Equal(("pp64", 64, 0), (pp.Test, pp.NPrompt, pp.NGen));
                Assert.Equal(3, pp.Repetitions);
                Assert.Equal(3, pp.SamplesTokensPerSecond.Count);
                Assert.All(pp.SamplesTokensPerSecond, s => Assert.True(s > 0));
                Assert.Equal(pp.SamplesTokensPerSecond.Average(), pp.MeanTokensPerSecond, 6);
                Assert.True(pp.StddevTokensPerSecond >= 0);
            },
            tg =>
            {
                Assert.Equal(("tg16", 0, 16), (tg.Test, tg.NPrompt, tg.NGen));
                Assert.Equal(3, tg.SamplesTokensPerSecond.Count);
                Assert.All(tg.SamplesTokensPerSecond, s => Assert.True(s > 0));
                Assert.True(tg.StddevTokensPerSecond >= 0);
            });
        Assert.True(m.LoadSeconds > 0);
        Assert.True(m.TimeToFirstTokenSeconds > 0);
        Assert.Equal(1.0, progress[^1]);
        Assert.Equal(256u, m.ContextLength);
        Assert.Equal(TinyLlama.ParameterCount(file.Options), m.Parameters);
        Assert.Equal(4 * m.Parameters, m.ModelBytes); // F32

        // From llama.cpp's own log lines: the KV cache of 2 layers × 256 cells × 32 K and 32 V values × 2 bytes (F16).
        Assert.Contains(m.Buffers, b => b.Kind == BufferKind.KvCache);
        Assert.Equal(2 * 256 * (32 + 32) * 2, m.DeviceBytes.KvCache, tolerance: 0.005 * 1024 * 1024);
        Assert.True(m.DeviceBytes.Weights >= m.ModelBytes - 0.01 * 1024 * 1024);
        Assert.True(m.DeviceBytes.Compute > 0);
        Assert.Equal(m.DeviceBytes.Weights + m.DeviceBytes.KvCache + m.DeviceBytes.Compute, m.DeviceBytes.Total);
        Assert.True(m.HostPeakRssBytes > 0);

        Assert.Equal("cpu", m.Environment.Backend);
        Assert.Equal(2, m.Environment.Threads);
        Assert.StartsWith("v0.5.0 (ggml ", m.Environment.LlamaCppBuild);
        Assert.False(string.IsNullOrEmpty(m.Environment.ScannerVersion));
        Assert.Null(m.RooflineFraction); // CPU: no roofline
    }

    [Fact]
    public void zero_prompt_or_generation_tokens_skip_that_test()
    {
        var m = Measurer.Measure(file.Path, Small with { PromptTokens = 0, Repetitions = 1 });

        Assert.Equal("tg16", Assert.Single(m.Throughput).Test);
        Assert.True(m.TimeToFirstTokenSeconds > 0);
    }

    [Fact]
    public void a_cancelled_token_stops_the_load()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Measurer.Measure(file.Path, Small, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void cancelling_during_the_load_abandons_it()
    {
        using var cts = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Measurer.Measure(file.Path, Small, new SynchronousProgress<double>(_ => cts.Cancel()), cts.Token));
    }

    public sealed class ModelFile : IDisposable
    {
        internal TinyLlamaOptions Options { get; } = new() { License = "apache-2.0" };

        public string Path { get; }

        public ModelFile()
        {
            Path = System.IO.Path.Combine(NativeTestEnvironment.TempDirectory(), "tiny-llama.gguf");
            TinyLlama.Write(Path, Options);
        }

        public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }
}

/// <summary>Progress&lt;T&gt; posts to the thread pool; tests want the reports in order and before the call returns.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
