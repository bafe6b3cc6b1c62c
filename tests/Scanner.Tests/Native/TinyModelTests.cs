using Governance.Scanner.Native;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Native;

/// <summary>Full-weight loads, contexts and decodes on a random-weight <see cref="TinyLlama"/> written per test class.</summary>
public sealed class TinyModelTests(TinyModelTests.TinyModelFile file) : IClassFixture<TinyModelTests.TinyModelFile>
{
    private static LlamaRuntime Runtime => NativeTestEnvironment.Runtime;

    private static readonly ContextOptions SmallContext = new() { ContextLength = 256, Batch = 32, UBatch = 32, Threads = 2 };

    [Fact]
    public void a_full_model_reports_its_shape_and_progress_up_to_one()
    {
        var reports = new List<float>();

        using var model = Runtime.LoadModel(file.Path, new LoadOptions { Progress = p => { reports.Add(p); return true; } });

        Assert.NotEmpty(reports);
        Assert.Equal(reports.Order(), reports);
        Assert.All(reports, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(1f, reports[^1]);
        Assert.Equal(2, model.LayerCount);
        Assert.Equal(64, model.EmbeddingLength);
        Assert.Equal(256, model.TrainingContextLength);
        Assert.Equal(TinyLlama.VocabSize, model.VocabTokenCount);
        Assert.Equal((int)TinyLlama.BosId, model.BosToken);
        Assert.True(model.AddsBos);
        Assert.Equal((ulong)TinyLlama.ParameterCount(file.Options), model.ParameterCount);
        Assert.Equal(4UL * model.ParameterCount, model.SizeBytes); // all F32
        Assert.StartsWith("llama", model.Description);
    }

    [Fact]
    public void metadata_values_longer_than_the_first_buffer_are_read_whole()
    {
        using var model = Runtime.LoadModel(file.Path, new LoadOptions { VocabOnly = true });

        Assert.Equal(file.Options.License, model.GetMetadataValue("general.license"));
        Assert.Equal(file.Options.License, model.Metadata["general.license"]);
    }

    [Fact]
    public void returning_false_from_progress_cancels_the_load()
    {
        var calls = 0;

        Assert.Throws<OperationCanceledException>(() =>
            Runtime.LoadModel(file.Path, new LoadOptions { Progress = _ => ++calls < 1 }));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void an_exception_in_progress_stops_the_load_and_comes_back_to_the_caller()
    {
        var error = Assert.Throws<LlamaException>(() =>
            Runtime.LoadModel(file.Path, new LoadOptions { Progress = _ => throw new InvalidOperationException("boom") }));

        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void a_context_decodes_a_prompt_then_single_tokens_and_counts_them()
    {
        using var model = Runtime.LoadModel(file.Path, new LoadOptions { UseMmap = false });
        using var context = Runtime.CreateContext(model, SmallContext);
        int[] prompt = [1, 72, 101, 108, 108, 111, 35, 3];

        Runtime.Decode(context, prompt);
        context.Synchronize();
        Runtime.Decode(context, [(int)TinyLlama.EosId]);
        context.Synchronize();

        Assert.Equal(256u, context.ContextLength);
        Assert.Equal(32u, context.BatchSize);
        var perf = context.Perf;
        Assert.Equal((prompt.Length, 1), (perf.n_p_eval, perf.n_eval));
        Assert.True(perf.t_p_eval_ms > 0);

        context.ResetPerf();
        context.ClearMemory();
        Runtime.Decode(context, prompt);
        context.Synchronize();
        Assert.Equal(prompt.Length, context.Perf.n_p_eval);
    }

    [Fact]
    public void a_batch_with_explicit_positions_decodes()
    {
        using var model = Runtime.LoadModel(file.Path);
        using var context = Runtime.CreateContext(model, SmallContext);
        using var batch = new LlamaBatch(capacity: 4);
        for (var i = 0; i < 4; i++)
        {
            batch.Add(token: 10 + i, position: i, logits: i == 3);
        }

        Runtime.Decode(context, batch);
        context.Synchronize();

        Assert.Equal(4, context.Perf.n_p_eval);
    }

    [Fact]
    public void more_tokens_than_the_batch_size_are_refused_before_llama_cpp_asserts_on_them()
    {
        using var model = Runtime.LoadModel(file.Path);
        using var context = Runtime.CreateContext(model, SmallContext);

        var error = Assert.Throws<ArgumentException>(() => Runtime.Decode(context, Enumerable.Repeat(5, 33).ToArray()));

        Assert.Contains("batch size of 32", error.Message);
    }

    [Fact]
    public void a_token_outside_the_vocabulary_fails_with_llama_cpp_s_return_code_and_reason()
    {
        using var model = Runtime.LoadModel(file.Path);
        using var context = Runtime.CreateContext(model, SmallContext);

        var error = Assert.Throws<LlamaDecodeException>(() => Runtime.Decode(context, [1, TinyLlama.VocabSize]));

        Assert.Equal(-1, error.ReturnCode);
        Assert.Contains("invalid input batch", error.Message);
        Assert.Contains($"invalid token[1] = {TinyLlama.VocabSize}", error.Message);
    }

    [Fact]
    public void a_context_keeps_its_model_alive_until_it_is_disposed()
    {
        var model = Runtime.LoadModel(file.Path);
        var context = Runtime.CreateContext(model, SmallContext);

        model.Dispose();
        Assert.False(model.Freed); // SafeHandle: disposed, but not closed while the context holds its reference
        Runtime.Decode(context, [1, 2, 3]);
        context.Synchronize();

        context.Dispose();
        context.Dispose();
        Assert.True(context.Freed);
        Assert.True(model.Freed);
        Assert.True(model.IsClosed);
    }

    public sealed class TinyModelFile : IDisposable
    {
        internal TinyLlamaOptions Options { get; } = new() { License = new string('x', 1000) };

        public string Path { get; }

        public TinyModelFile()
        {
            Path = System.IO.Path.Combine(NativeTestEnvironment.TempDirectory(), "tiny-llama.gguf");
            TinyLlama.Write(Path, Options);
        }

        public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }
}
