namespace Governance.Policies.Tests;

public sealed class ModelNamesTests
{
    [Theory]
    [InlineData("Llama-3-Acme-8B", "Llama 3", true)]
    [InlineData("Llama_3 Acme", "Llama 3", true)]
    [InlineData("llama-3.1-x", "Llama", true)]
    [InlineData("Llama3-ChatQA-8B", "Llama 3", true)]
    [InlineData("LlamaGuard-Acme", "Llama", true)]
    [InlineData("Llama 3 Acme 8B", "Llama 3", true)]
    [InlineData("Llama-Acme-8B", "Llama 3", false)]
    [InlineData("Llama-30B-Acme", "Llama 3", false)]
    [InlineData("Llamafied-Acme", "Llama", false)]
    [InlineData("Acme-Llama-3-8B", "Llama 3", false)]
    [InlineData("", "Llama", false)]
    public void a_name_begins_with_a_prefix_word_for_word_whatever_separators_and_case_it_uses(string name, string prefix, bool begins)
    {
        Assert.Equal(begins, ModelNames.BeginsWith(name, prefix));
    }

    [Fact]
    public void a_name_is_read_as_lower_case_words_split_at_separators_case_changes_and_digits()
    {
        Assert.Equal("llama 3 acme 8 b", ModelNames.Reading("Llama-3-Acme-8B"));
        Assert.Equal("llama 3 1 nemotron nano 8 b v 1", ModelNames.Reading("Llama-3.1-Nemotron-Nano-8B-v1"));
        Assert.Equal("llama guard", ModelNames.Reading("LlamaGuard"));
    }

    [Theory]
    [InlineData("meta-llama/Llama-3.1-8B")]
    [InlineData("Llama 3.1 8B")]
    [InlineData("llama_3.1-8b")]
    [InlineData("https://huggingface.co/meta-llama/Llama-3.1-8B/")]
    public void names_written_differently_share_one_key(string name)
    {
        Assert.Equal("llama3.18b", ModelNames.Key(name));
    }
}
