using Governance.Scanner.Native;

namespace Governance.Scanner.Tests.Native;

public sealed class HandleLifetimeTests
{
    private static LlamaRuntime Runtime => NativeTestEnvironment.Runtime;

    [Fact]
    public void disposing_a_model_frees_it_and_a_second_dispose_is_harmless()
    {
        var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm"), new LoadOptions { VocabOnly = true });

        model.Dispose();
        model.Dispose();

        Assert.True(model.IsClosed);
        Assert.True(model.Freed);
        Assert.Throws<ObjectDisposedException>(() => model.MetadataCount);
    }

    [Fact]
    public void a_refused_context_gives_llama_cpp_s_reason_and_leaves_the_model_free_to_go()
    {
        var model = Runtime.LoadModel(NativeTestEnvironment.VocabModel("llama-spm"), new LoadOptions { VocabOnly = true });

        var error = Assert.Throws<LlamaException>(() => Runtime.CreateContext(model, new ContextOptions { Batch = 0, UBatch = 0 }));
        model.Dispose();

        Assert.Contains("n_batch and n_ubatch cannot both be zero", error.Message);
        Assert.True(model.Freed); // the reference taken for the context was given back
    }

    [Fact]
    public void a_batch_holds_its_capacity_and_is_freed_once()
    {
        var batch = new LlamaBatch(capacity: 2);
        batch.Add(token: 1, position: 0);
        batch.Add(token: 2, position: 1, logits: true);

        Assert.Equal(2, batch.Count);
        Assert.Throws<InvalidOperationException>(() => batch.Add(token: 3, position: 2));

        batch.Dispose();
        batch.Dispose();
        Assert.True(batch.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => batch.Add(token: 3, position: 0));
    }
}
