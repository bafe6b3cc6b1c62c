using System.Collections.Frozen;

namespace Governance.Scanner.Gguf;

/// <summary>
/// The architectures llama.cpp v0.5.0 can load: <c>LLM_ARCH_NAMES</c> of its <c>src/llama-arch.cpp</c>, without
/// <c>clip</c> (a placeholder for llama-quantize: projectors run through libmtmd, not llama_model_load) and
/// <c>(unknown)</c>. <c>tests/Scanner.Tests/Gguf/LlamaArchitecturesTests.cs</c> compares it with the source of the
/// fetched release, so a new release cannot leave it stale.
/// </summary>
internal static class LlamaArchitectures
{
    /// <summary><c>general.architecture</c> of a multimodal projector file (<c>mmproj-*.gguf</c>).</summary>
    public const string Projector = "clip";

    public static FrozenSet<string> Supported { get; } = new[]
    {
        "llama", "llama4", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
        "bert", "modern-bert", "nomic-bert", "nomic-bert-moe", "neo-bert", "jina-bert-v2", "jina-bert-v3", "eurobert",
        "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "qwen3next", "qwen3vl",
        "qwen3vlmoe", "qwen35", "qwen35moe", "qwen4exp", "phi2", "phi3", "phimoe", "plamo", "plamo2", "plamo3", "codeshell",
        "orion", "internlm2", "minicpm", "minicpm3", "gemma", "gemma2", "gemma3", "gemma3n", "gemma4", "gemma4-assistant",
        "gemma-embedding", "starcoder2", "mamba", "mamba2", "maple", "jamba", "falcon-h1", "xverse", "command-r", "cohere2",
        "cohere2moe", "dbrx", "olmo", "olmo2", "olmoe", "muse-glimmer", "openelm", "arctic", "deepseek", "deepseek2",
        "deepseek2-ocr", "deepseek32", "deepseek4", "chatglm", "glm4", "glm4moe", "glm-dsa", "bitnet", "t5", "t5encoder",
        "jais", "jais2", "nemotron", "nemotron_h", "nemotron_h_moe", "exaone", "exaone4", "exaone-moe", "rwkv6",
        "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "granitehybrid", "graniteswitch", "granite_swa",
        "chameleon", "wavtokenizer-dec", "plm", "bailingmoe", "bailingmoe2", "bailingmoe3", "dots1", "dots3note", "arcee",
        "afmoe", "laguna", "ernie4_5", "ernie4_5-moe", "hunyuan-moe", "hunyuan-dense", "hunyuan_vl", "hy_v3", "hy_v4",
        "smollm3", "gpt-oss", "lfm2", "lfm2moe", "dream", "smallthinker", "llada", "llada-moe", "seed_oss", "grovemoe",
        "apertus", "minimax-01", "hrm_text", "minimax-m2", "minimax-m3", "cogvlm", "rnd1", "pangu-embedded", "mistral3",
        "eagle3", "dflash", "mistral4", "paddleocr", "mimo2", "step35", "spark2_5", "llama-embed", "maincoder",
        "kimi-linear", "kimi-k3", "talkie", "mellum", "nanbeige", "qwen3tts", "pockettts",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Architectures that deployed families use but this release cannot run, and why (shown in the finding).</summary>
    public static IReadOnlyDictionary<string, string> KnownUnsupported { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mllama"] = "Llama 3.2 Vision (11B/90B) interleaves cross-attention layers over image features; llama.cpp has never implemented it (Ollama's own engine runs it).",
        ["phi4mm"] = "Phi-4-multimodal mixes LoRA adapters per modality into the language model; llama.cpp v0.5.0 has no such architecture.",
        ["phi4flash"] = "Phi-4-mini-flash-reasoning (SambaY: Mamba and gated memory units) has no llama.cpp v0.5.0 architecture.",
    };

    // llama.cpp's LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS (src/llama-hparams.h): load_hparams GGML_ASSERTs past them.
    public const int MaxLayers = 512;
    public const int MaxExperts = 1024;
}
