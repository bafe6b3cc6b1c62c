using System.Collections.Concurrent;
using Governance.Scanner.Native;

namespace Governance.Scanner.Tests.Native;

/// <summary>Vocab-only loads of the GGUF vocabularies that ship in llama.cpp's models/ folder.</summary>
public sealed class ModelLoadTests
{
    private static LlamaRuntime Runtime => NativeTestEnvironment.Runtime;

    [Fact]
    public void a_vocab_only_gguf_exposes_its_metadata_and_vocabulary()
    {
        using var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-bpe"), new LoadOptions { VocabOnly = true });

        Assert.True(model.MetadataCount > 0);
        Assert.Equal("llama", model.GetMetadataValue("general.architecture"));
        var metadata = model.Metadata;
        Assert.Equal(model.MetadataCount, metadata.Count);
        Assert.Equal("llama", metadata["general.architecture"]);
        Assert.Equal(128256, model.VocabTokenCount);
        Assert.Equal(128000, model.BosToken);
    }

    [Fact]
    public void a_key_the_model_lacks_reads_as_null()
    {
        using var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm"), new LoadOptions { VocabOnly = true });

        Assert.Null(model.GetMetadataValue("general.no_such_key"));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetMetadataKey(model.MetadataCount));
    }

    [Fact]
    public void progress_is_not_reported_for_a_vocab_only_load_because_no_tensor_data_is_read()
    {
        var reports = new ConcurrentQueue<float>();

        using var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm"), new LoadOptions
        {
            VocabOnly = true,
            Progress = p => { reports.Enqueue(p); return true; },
        });

        Assert.Empty(reports);
    }

    [Fact]
    public void a_file_that_is_not_gguf_fails_with_the_reason_llama_cpp_logged()
    {
        var dir = NativeTestEnvironment.TempDirectory();
        try
        {
            var path = Path.Combine(dir, "not-a-model.gguf");
            File.WriteAllText(path, "this is not a GGUF file");

            var error = Assert.Throws<LlamaModelLoadException>(() => Runtime.LoadModel(path, new LoadOptions { VocabOnly = true }));

            Assert.Equal(path, error.Path);
            Assert.NotNull(error.Reason);
            Assert.Contains("error loading model", error.Reason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void loading_weights_from_a_vocab_only_file_fails_with_the_reason()
    {
        var error = Assert.Throws<LlamaModelLoadException>(() => Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm")));

        Assert.NotNull(error.Reason);
    }

    [Fact]
    public void a_missing_file_is_refused_before_llama_cpp_sees_it()
    {
        Assert.Throws<FileNotFoundException>(() => Runtime.LoadModel("/nonexistent/model.gguf"));
    }

    [Fact]
    public void the_log_reaches_the_managed_sink_as_whole_lines()
    {
        var lines = new ConcurrentQueue<(GgmlLogLevel Level, string Text)>();
        LlamaLog.Sink = (level, text) => lines.Enqueue((level, text));
        try
        {
            using var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm"), new LoadOptions { VocabOnly = true });
        }
        finally
        {
            LlamaLog.Sink = null;
        }

        Assert.Contains(lines, l => l.Text.Contains("vocab only - skipping tensors"));
        Assert.DoesNotContain(lines, l => l.Text.EndsWith('\n'));
    }

    [Fact]
    public void a_model_on_the_cpu_alone_is_placed_on_no_offload_device()
    {
        using var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm"), new LoadOptions { VocabOnly = true });

        // llama_model_n_devices/llama_model_get_device are bound by their C++-mangled export names.
        var devices = model.Devices;

        if (Runtime.Backend == LlamaBackend.Cpu)
        {
            Assert.Empty(devices);
        }
    }
}
