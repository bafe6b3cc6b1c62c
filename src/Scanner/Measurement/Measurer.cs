using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Governance.Attestations;
using Governance.Scanner.Native;

namespace Governance.Scanner.Measurement;

/// <summary>
/// Loads a model with llama.cpp and measures it the way llama-bench v0.5.0 does (tools/llama-bench/llama-bench.cpp):
/// the pp test (a warm-up pp run, then r repetitions of <c>llama_memory_clear</c> and a timed pp: random tokens in
/// n_batch chunks, one synchronize at the end), then the tg test (a 1-token warm-up, then r repetitions of clear and
/// n_gen single-token decodes, synchronized each); tokens/s per repetition = tokens ÷ seconds. Unlike llama-bench both
/// tests share one context, made at the context length whose footprint is wanted. A persistent CPU threadpool is
/// attached as llama-bench attaches one. Blocking and CPU-bound: callers run it off the request thread. Cancellation
/// is honoured during the load and between decodes.
/// </summary>
internal static class Measurer
{
    /// <param name="bytesReadPerToken">
    /// Weight bytes one generated token reads (<see cref="Gguf.ModelShape.BytesReadPerToken"/>: active experts only for a
    /// mixture of experts); null falls back to every weight byte, <c>llama_model_size</c>.
    /// </param>
    public static ModelMeasurement Measure(string path, BenchSettings settings, IProgress<double>? loadProgress = null, CancellationToken cancellationToken = default,
        long? bytesReadPerToken = null)
    {
        settings.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var runtime = LlamaRuntime.Instance;
        var threads = settings.Threads ?? HostProbe.PhysicalCores();
        var gpuDevice = EnvironmentProbe.GpuDevice(runtime);
        using var nvml = gpuDevice is null ? null : Nvml.TryOpen(out _);
        var nvmlBefore = nvml?.UsedBytes(gpuDevice!.PciBusId, EnvironmentProbe.DeviceIndex(gpuDevice.Name));
        HostProbe.ResetPeakRss();

        using var capture = new BufferAccounting.Capture();
        var started = Stopwatch.GetTimestamp();
        using var model = runtime.LoadModel(path, new LoadOptions
        {
            GpuLayers = settings.GpuLayers,
            Progress = p =>
            {
                loadProgress?.Report(p);
                return !cancellationToken.IsCancellationRequested; // false makes llama.cpp stop and LoadModel throw
            },
        });
        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();

        started = Stopwatch.GetTimestamp();
        using var context = runtime.CreateContext(model, new ContextOptions
        {
            ContextLength = ContextFor(settings, model),
            Batch = settings.Batch,
            UBatch = settings.UBatch,
            Threads = threads,
            FlashAttention = settings.FlashAttention,
        });
        var contextSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var nvmlAfter = nvml?.UsedBytes(gpuDevice!.PciBusId, EnvironmentProbe.DeviceIndex(gpuDevice.Name));
        var buffers = capture.Buffers;
        capture.Dispose(); // decodes log nothing we need

        using var pool = CpuThreadpool.TryCreate(threads);
        pool?.AttachTo(context);
        double? ttft;
        List<ThroughputTest> throughput;
        try
        {
            var bench = new Bench(runtime, context, model, settings, cancellationToken);
            (ttft, throughput) = bench.Run();
        }
        finally
        {
            if (pool is not null) CpuThreadpool.DetachFrom(context);
        }

        var modelBytes = (long)model.SizeBytes;
        var gpu = gpuDevice is null ? null : nvml?.Query(gpuDevice.PciBusId, EnvironmentProbe.DeviceIndex(gpuDevice.Name));
        var nvmlUsed = nvmlBefore is { } before && nvmlAfter is { } after && after >= before ? (long)(after - before) : (long?)null;
        var tg = throughput.FirstOrDefault(t => t.NGen > 0);
        var perToken = bytesReadPerToken is > 0 ? bytesReadPerToken.Value : modelBytes;
        var roofline = Roofline.Fraction(tg?.MeanTokensPerSecond, gpu?.BandwidthBytesPerSecond, perToken);

        return new ModelMeasurement
        {
            ModelBytes = modelBytes,
            Parameters = (long)model.ParameterCount,
            Description = model.Description,
            ContextLength = context.ContextLength,
            Buffers = buffers,
            DeviceBytes = DeviceBytesOf(buffers, onGpu: gpuDevice is not null, nvmlUsed),
            NvmlUsedBytes = nvmlUsed,
            HostPeakRssBytes = HostProbe.PeakRssBytes(),
            LoadSeconds = loadSeconds,
            ContextSeconds = contextSeconds,
            TimeToFirstTokenSeconds = ttft,
            Throughput = throughput,
            Environment = EnvironmentProbe.Describe(runtime, gpuDevice, gpu, threads),
            BandwidthBytesPerSecond = gpu?.BandwidthBytesPerSecond,
            BytesReadPerToken = perToken,
            BytesReadPerTokenBasis = bytesReadPerToken is > 0 ? BytesPerTokenBasis.ActiveWeights : BytesPerTokenBasis.ModelSize,
            RooflineFraction = roofline,
            Warnings = capture.Warnings,
        };
    }

    public static string ScannerVersion { get; } =
        typeof(Measurer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v
            ? v.Split('+')[0]
            : typeof(Measurer).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>"v0.5.0 (ggml 0.9.x, commit abc1234)": the release the natives were fetched as, and what the library says it is.</summary>
    public static string LlamaCppBuild()
    {
        var runtime = LlamaRuntime.Instance;
        return $"v0.5.0 (ggml {runtime.GgmlVersion ?? "?"}, commit {runtime.GgmlCommit ?? "?"}, {runtime.Natives.Build.ToString().ToLowerInvariant()} build)";
    }

    // The footprint is wanted at the requested context; the tests must fit in it too.
    private static uint ContextFor(BenchSettings settings, LlamaModelHandle model)
    {
        var requested = settings.ContextLength is > 0 ? settings.ContextLength.Value : (uint)Math.Max(model.TrainingContextLength, 0);
        var needed = (uint)Math.Max(settings.PromptTokens, settings.GenerateTokens); // each test starts from an empty cache
        return Math.Max(requested, needed);
    }

    internal static DeviceBytes DeviceBytesOf(IReadOnlyList<BufferAllocation> buffers, bool onGpu, long? nvmlUsed)
    {
        var device = buffers.Where(b => !onGpu || !b.OnHost).ToList();
        long Sum(params BufferKind[] kinds) => device.Where(b => kinds.Contains(b.Kind)).Sum(b => b.Bytes);
        var weights = Sum(BufferKind.Weights);
        var kv = Sum(BufferKind.KvCache);
        var compute = Sum(BufferKind.Compute, BufferKind.Output);
        var total = nvmlUsed ?? weights + kv + compute + Sum(BufferKind.Other);
        return new DeviceBytes { Weights = weights, KvCache = kv, Compute = compute, Total = total };
    }

    /// <summary>The timed loops, a transcription of llama-bench's test_prompt/test_gen.</summary>
    private sealed class Bench(LlamaRuntime runtime, LlamaContextHandle context, LlamaModelHandle model, BenchSettings settings, CancellationToken ct)
    {
        private readonly Random _random = new(settings.Seed);
        private readonly int _vocab = model.VocabTokenCount;
        private readonly int _bos = model.AddsBos ? model.BosToken : -1;
        private readonly int[] _tokens = new int[Math.Max(1, Math.Min(settings.PromptTokens, (int)context.BatchSize))];

        public (double? Ttft, List<ThroughputTest> Tests) Run()
        {
            // As llama-bench runs pp512 and tg128: two tests one after the other, each a warm-up and then the timed
            // repetitions, each repetition from an empty cache (llama_memory_clear). The first prompt after the load is
            // also what a first request would wait for, so the pp warm-up doubles as time to first token.
            double? ttft = null;
            var tests = new List<ThroughputTest>(2);
            if (settings.PromptTokens > 0)
            {
                context.ClearMemory();
                ttft = Prompt(settings.PromptTokens);
                var samples = new List<double>(settings.Repetitions);
                for (var i = 0; i < settings.Repetitions; i++)
                {
                    context.ClearMemory();
                    samples.Add(settings.PromptTokens / Prompt(settings.PromptTokens));
                }
                tests.Add(Result($"pp{settings.PromptTokens}", settings.PromptTokens, 0, samples));
            }
            if (settings.GenerateTokens > 0)
            {
                context.ClearMemory();
                var first = Generate(1);
                ttft ??= first;
                var samples = new List<double>(settings.Repetitions);
                for (var i = 0; i < settings.Repetitions; i++)
                {
                    context.ClearMemory();
                    samples.Add(settings.GenerateTokens / Generate(settings.GenerateTokens));
                }
                tests.Add(Result($"tg{settings.GenerateTokens}", 0, settings.GenerateTokens, samples));
            }
            return (ttft, tests);
        }

        private static ThroughputTest Result(string name, int nPrompt, int nGen, List<double> samples) => new()
        {
            Test = name,
            NPrompt = nPrompt,
            NGen = nGen,
            Repetitions = samples.Count,
            MeanTokensPerSecond = Statistics.Mean(samples),
            StddevTokensPerSecond = Statistics.SampleStddev(samples),
            SamplesTokensPerSecond = samples,
        };

        // Fully optimised from the first call: a tier-0 body, and its background re-JIT competing with llama.cpp's
        // threads for the cores, would land inside the timed repetitions.
        // test_prompt: random tokens (BOS first when the vocab adds one) in chunks of n_batch, one synchronize at the end.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private double Prompt(int count)
        {
            var started = Stopwatch.GetTimestamp();
            for (var done = 0; done < count;)
            {
                ct.ThrowIfCancellationRequested();
                var n = Math.Min(count - done, _tokens.Length);
                _tokens[0] = done == 0 && _bos >= 0 ? _bos : _random.Next(_vocab);
                for (var i = 1; i < n; i++) _tokens[i] = _random.Next(_vocab);
                runtime.Decode(context, _tokens.AsSpan(0, n));
                done += n;
            }
            context.Synchronize();
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        // test_gen: one token per decode, synchronized after each, as a sampler would have to wait for the logits.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private double Generate(int count)
        {
            Span<int> token = [_bos >= 0 ? _bos : _random.Next(_vocab)];
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                runtime.Decode(context, token);
                context.Synchronize();
                token[0] = _random.Next(_vocab);
            }
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }
}
