using System.Text;
using Governance.Scanner.Hub;

namespace Governance.Scanner.Tests.Hub;

public sealed class HubConfigTests
{
    private static HubConfig Parse(string json) => HubConfig.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void a_multimodal_config_reads_the_language_model_from_text_config_and_notes_the_vision_tower()
    {
        var config = Parse("""
            {"architectures":["Llama4ForConditionalGeneration"],"model_type":"llama4","torch_dtype":"bfloat16",
             "text_config":{"num_hidden_layers":48,"hidden_size":5120,"num_attention_heads":40,"num_key_value_heads":8,
                            "num_local_experts":16,"num_experts_per_tok":1,"max_position_embeddings":10485760},
             "vision_config":{"hidden_size":1408},"num_hidden_layers":99}
            """);

        Assert.Equal(("Llama4ForConditionalGeneration", "llama4", "bfloat16"), (config.Architecture, config.ModelType, config.Dtype));
        Assert.Equal((48, 5120L, 40, 8), (config.Layers!.Value, config.HiddenSize!.Value, config.Heads!.Value, config.KvHeads!.Value));
        Assert.Equal((16, 1, 10485760L), (config.Experts!.Value, config.ExpertsUsed!.Value, config.ContextLength!.Value));
        Assert.True(config.HasVision);
    }

    [Fact]
    public void deepseek_and_gpt_oss_spell_their_experts_their_own_way()
    {
        var deepseek = Parse("""{"n_routed_experts":256,"num_experts_per_tok":8,"n_shared_experts":1,"kv_lora_rank":512,"num_attention_heads":128,"num_key_value_heads":128}""");
        var gptOss = Parse("""{"num_local_experts":32,"experts_per_token":4,"sliding_window":128}""");

        Assert.Equal((256, 8, 1, 512L), (deepseek.Experts!.Value, deepseek.ExpertsUsed!.Value, deepseek.SharedExperts!.Value, deepseek.KvLoraRank!.Value));
        Assert.Equal((32, 4, 128L), (gptOss.Experts!.Value, gptOss.ExpertsUsed!.Value, gptOss.SlidingWindow!.Value));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    public void what_is_not_a_json_object_is_refused(string json) =>
        Assert.Throws<HubConfig.HubConfigFormatException>(() => Parse(json));

    [Fact]
    public void deep_nesting_and_oversized_files_are_refused_before_they_cost_anything()
    {
        Assert.Throws<HubConfig.HubConfigFormatException>(() => Parse(new string('[', 100) + new string(']', 100)));
        Assert.Throws<HubConfig.HubConfigFormatException>(() => HubConfig.Parse(new byte[HubConfig.MaxBytes + 1]));
    }

    [Fact]
    public void wrong_types_and_negative_numbers_are_ignored_not_trusted()
    {
        var config = Parse("""{"architectures":[7],"num_hidden_layers":"32","hidden_size":-1,"num_experts":0}""");

        Assert.Equal((null, null, null, null), (config.Architecture, config.Layers, config.HiddenSize, config.Experts));
    }
}
