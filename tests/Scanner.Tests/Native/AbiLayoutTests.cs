using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Governance.Scanner.Native;

namespace Governance.Scanner.Tests.Native;

/// <summary>
/// Compiles a C program against include/llama.h of the fetched v0.5.0 source that prints sizeof/offsetof of
/// every mirrored struct and field and the value of every mirrored enum member, then holds the C# mirrors to
/// those numbers. The program is generated from the C# fields (whose names are the C names), so a field that
/// does not exist in C fails the compile.
/// </summary>
public sealed class AbiLayoutTests(AbiLayoutTests.HeaderLayout header) : IClassFixture<AbiLayoutTests.HeaderLayout>
{
    private static readonly Dictionary<string, Type> Structs = new()
    {
        ["llama_model_params"] = typeof(LlamaModelParams),
        ["llama_context_params"] = typeof(LlamaContextParams),
        ["llama_batch"] = typeof(LlamaNativeBatch),
        ["llama_sampler_chain_params"] = typeof(LlamaSamplerChainParams),
        ["llama_perf_context_data"] = typeof(LlamaPerfContextData),
        ["ggml_backend_dev_props"] = typeof(GgmlBackendDevProps),
        ["ggml_backend_dev_caps"] = typeof(GgmlBackendDevCaps),
    };

    private static readonly Dictionary<Type, string> Enums = new()
    {
        [typeof(LlamaSplitMode)] = "llama_split_mode",
        [typeof(LlamaLoadMode)] = "llama_load_mode",
        [typeof(LlamaLazyMode)] = "llama_lazy_mode",
        [typeof(LlamaContextType)] = "llama_context_type",
        [typeof(LlamaRopeScalingType)] = "llama_rope_scaling_type",
        [typeof(LlamaPoolingType)] = "llama_pooling_type",
        [typeof(LlamaAttentionType)] = "llama_attention_type",
        [typeof(LlamaFlashAttnType)] = "llama_flash_attn_type",
        [typeof(GgmlCacheType)] = "ggml_type",
        [typeof(GgmlLogLevel)] = "ggml_log_level",
        [typeof(GgmlBackendDevType)] = "ggml_backend_dev_type",
    };

    // Member prefixes where they are not simply the enum's name in capitals.
    private static readonly Dictionary<string, string> EnumPrefixes = new()
    {
        ["ggml_backend_dev_type"] = "GGML_BACKEND_DEVICE_TYPE_",
    };

    public static TheoryData<string> StructNames => new(Structs.Keys);

    public static TheoryData<string> EnumNames => new(Enums.Values);

    [Theory]
    [MemberData(nameof(StructNames))]
    public void struct_size_and_every_field_offset_match_llama_h(string cName)
    {
        var type = Structs[cName];
        var c = header.Numbers;
        Assert.Equal(c[$"sizeof {cName}"], Marshal.SizeOf(type));
        Assert.Equal(c[$"sizeof {cName}"], UnmanagedSize(type));
        foreach (var field in Fields(type))
        {
            Assert.True(c[$"offsetof {cName}.{field.Name}"] == (long)Marshal.OffsetOf(type, field.Name),
                $"{cName}.{field.Name}: C offset {c[$"offsetof {cName}.{field.Name}"]}, C# {Marshal.OffsetOf(type, field.Name)}");
            Assert.True(c[$"sizeof {cName}.{field.Name}"] == FieldSize(field.FieldType),
                $"{cName}.{field.Name}: C size {c[$"sizeof {cName}.{field.Name}"]}, C# {FieldSize(field.FieldType)}");
        }
    }

    [Theory]
    [MemberData(nameof(EnumNames))]
    public void enum_members_match_llama_h(string cName)
    {
        var type = Enums.Single(e => e.Value == cName).Key;
        Assert.Equal(header.Numbers[$"sizeof enum {cName}"], Marshal.SizeOf(Enum.GetUnderlyingType(type)));
        foreach (var member in Enum.GetNames(type))
        {
            var cMember = CMemberName(cName, member);
            Assert.True(header.Numbers[$"enum {cMember}"] == Convert.ToInt64(Enum.Parse(type, member), CultureInfo.InvariantCulture),
                $"{type.Name}.{member}: C {cMember} = {header.Numbers[$"enum {cMember}"]}");
        }
    }

    // What the probe above printed for the v0.5.0 header (gcc 12, x86-64 System V), pinned so a layout change
    // also shows up where no compiler is at hand.
    [Fact]
    public void struct_sizes_are_the_pinned_x86_64_sizes_of_v0_5_0()
    {
        Assert.Equal(80, Marshal.SizeOf<LlamaModelParams>());
        Assert.Equal(160, Marshal.SizeOf<LlamaContextParams>());
        Assert.Equal(56, Marshal.SizeOf<LlamaNativeBatch>());
        Assert.Equal(1, Marshal.SizeOf<LlamaSamplerChainParams>());
        Assert.Equal(48, Marshal.SizeOf<LlamaPerfContextData>());
        Assert.Equal(56, Marshal.SizeOf<GgmlBackendDevProps>());
        Assert.Equal(72, (int)Marshal.OffsetOf<LlamaModelParams>(nameof(LlamaModelParams.vocab_only)));
        Assert.Equal(128, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.embeddings)));
    }

    [Fact]
    public void the_default_params_llama_cpp_returns_by_value_read_back_as_its_source_sets_them()
    {
        _ = NativeTestEnvironment.Runtime;
        var model = NativeApi.llama_model_default_params();
        Assert.Equal(-1, model.n_gpu_layers);
        Assert.Equal(LlamaSplitMode.Layer, model.split_mode);
        Assert.Equal(LlamaLoadMode.Auto, model.load_mode);
        Assert.Equal(LlamaLazyMode.Auto, model.lazy_mode);
        Assert.False(model.vocab_only);
        Assert.True(model.use_extra_bufts);
        Assert.False(model.load_mtp);

        var context = NativeApi.llama_context_default_params();
        Assert.Equal((512u, 2048u, 512u, 1u), (context.n_ctx, context.n_batch, context.n_ubatch, context.n_seq_max));
        Assert.Equal(1u, context.n_outputs_max_per_seq);
        Assert.Equal(LlamaFlashAttnType.Auto, context.flash_attn_type);
        Assert.Equal(GgmlCacheType.F16, context.type_k);
        Assert.Equal(-1f, context.defrag_thold);
        Assert.True(context.offload_kqv);
        Assert.True(context.no_perf);
        Assert.True(context.swa_full);
        Assert.False(context.kv_unified);
        Assert.Equal(0, context.ctx_other);

        Assert.True(NativeApi.llama_sampler_chain_default_params().no_perf);
    }

    private static IEnumerable<FieldInfo> Fields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    private static long UnmanagedSize(Type type) =>
        (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod(nameof(System.Runtime.CompilerServices.Unsafe.SizeOf))!
            .MakeGenericMethod(type).Invoke(null, null)!;

    private static long FieldSize(Type type) =>
        type.IsPointer || type.IsFunctionPointer || type.IsUnmanagedFunctionPointer ? IntPtr.Size
        : type.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(type))
        : Marshal.SizeOf(type);

    private static string CMemberName(string cEnum, string member) =>
        (EnumPrefixes.TryGetValue(cEnum, out var prefix) ? prefix : cEnum.ToUpperInvariant() + "_")
        + Regex.Replace(member, "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant();

    /// <summary>The numbers the compiled program printed, keyed "sizeof x", "offsetof x.f", "enum X".</summary>
    public sealed class HeaderLayout
    {
        private readonly Lazy<IReadOnlyDictionary<string, long>> _numbers = new(Compile);

        public IReadOnlyDictionary<string, long> Numbers => _numbers.Value;

        private static IReadOnlyDictionary<string, long> Compile()
        {
            var source = NativeTestEnvironment.LlamaSource;
            var cc = FindCompiler() ?? throw new InvalidOperationException(
                "No C compiler (cc) on PATH: the ABI test compiles a probe against llama.h. Install one (apt-get install gcc).");
            var dir = NativeTestEnvironment.TempDirectory();
            try
            {
                File.WriteAllText(Path.Combine(dir, "abi.c"), Program());
                var include = $"-I\"{Path.Combine(source, "include")}\" -I\"{Path.Combine(source, "ggml", "include")}\"";
                var (compiled, compileOutput) = NativeTestEnvironment.Run(cc, $"-std=c11 -Wall {include} -o abi abi.c", dir);
                if (compiled != 0)
                {
                    throw new InvalidOperationException($"The ABI probe did not compile against {source} (a C# field llama.h does not have?):\n{compileOutput}");
                }
                var (ran, output) = NativeTestEnvironment.Run(Path.Combine(dir, "abi"), "", dir);
                if (ran != 0)
                {
                    throw new InvalidOperationException($"The ABI probe exited {ran}:\n{output}");
                }
                return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => line.Split('='))
                    .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        private static string Program()
        {
            var c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"llama.h\"\n\n");
            c.Append("#define FIELD(s, f) printf(\"offsetof %s.%s=%zu\\nsizeof %s.%s=%zu\\n\", #s, #f, offsetof(struct s, f), #s, #f, sizeof(((struct s *)0)->f))\n");
            c.Append("int main(void) {\n");
            foreach (var (cName, type) in Structs)
            {
                c.Append($"    printf(\"sizeof {cName}=%zu\\n\", sizeof(struct {cName}));\n");
                foreach (var field in Fields(type))
                {
                    c.Append($"    FIELD({cName}, {field.Name});\n");
                }
            }
            foreach (var (type, cName) in Enums)
            {
                c.Append($"    printf(\"sizeof enum {cName}=%zu\\n\", sizeof(enum {cName}));\n");
                foreach (var member in Enum.GetNames(type))
                {
                    var cMember = CMemberName(cName, member);
                    c.Append($"    printf(\"enum {cMember}=%lld\\n\", (long long){cMember});\n");
                }
            }
            c.Append("    return 0;\n}\n");
            return c.ToString();
        }

        private static string? FindCompiler() =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "cc"))
                .FirstOrDefault(File.Exists);
    }
}
