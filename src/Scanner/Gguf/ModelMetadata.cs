namespace Governance.Scanner.Gguf;

/// <summary>A model this one was derived from, as <c>general.base_model.{i}.*</c> records it.</summary>
internal sealed record BaseModel(string? Name, string? Organization, string? RepoUrl);

/// <summary>
/// What a GGUF file says about itself that matters to a deployment decision: identity, size, quantization, shape
/// (experts, attention), license and lineage. Every field is what the file claims; absent keys stay null.
/// </summary>
internal sealed record ModelMetadata(
    string? Architecture,
    string? Name,
    string? Organization,
    string? Finetune,
    string? SizeLabel,
    long ParameterCount,
    uint? FileTypeId,
    string? FileType,
    IReadOnlyDictionary<string, int> TensorTypes,
    long? ContextLength,
    string? License,
    string? LicenseName,
    string? LicenseLink,
    IReadOnlyList<BaseModel> BaseModels,
    ModelShape Shape)
{
    // More parents than any real merge lists; a hostile count must not drive a long loop.
    private const int MaxBaseModels = 256;

    public static ModelMetadata From(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var architecture = file.GetString("general.architecture");
        var fileTypeId = file.GetInteger("general.file_type") is { } ft and >= 0 and <= uint.MaxValue ? (uint?)ft : null;

        var tensorTypes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
        {
            var type = tensor.Type.ToString();
            tensorTypes[type] = tensorTypes.GetValueOrDefault(type) + 1;
        }

        var baseModels = new List<BaseModel>();
        var count = Math.Clamp(file.GetInteger("general.base_model.count") ?? 0, 0, MaxBaseModels);
        for (var i = 0; i < count; i++)
        {
            var prefix = $"general.base_model.{i}.";
            baseModels.Add(new BaseModel(
                file.GetString(prefix + "name"),
                file.GetString(prefix + "organization"),
                file.GetString(prefix + "repo_url")));
        }

        return new ModelMetadata(
            architecture,
            file.GetString("general.name"),
            file.GetString("general.organization"),
            file.GetString("general.finetune"),
            file.GetString("general.size_label"),
            file.ParameterCount,
            fileTypeId,
            fileTypeId is { } id ? FileTypeName(id) : null,
            tensorTypes,
            architecture is null ? null : file.GetInteger($"{architecture}.context_length"),
            file.GetString("general.license"),
            file.GetString("general.license.name"),
            file.GetString("general.license.link"),
            baseModels,
            ModelShape.From(file, architecture));
    }

    /// <summary>
    /// <c>enum llama_ftype</c> of llama.cpp v0.5.0 (<c>include/llama.h</c>) without its <c>LLAMA_FTYPE_</c> prefix,
    /// including ids since removed (old files still carry them); null for an id it never had.
    /// </summary>
    public static string? FileTypeName(uint id)
    {
        const uint guessed = 1024; // LLAMA_FTYPE_GUESSED: set by llama.cpp, not normally written to files
        if ((id & guessed) != 0 && id != guessed)
            return FileTypeName(id & ~guessed) is { } name ? name + " (guessed)" : null;
        return id < FileTypeNames.Length ? FileTypeNames[id] : null;
    }

    private static readonly string[] FileTypeNames =
    [
        "ALL_F32", "MOSTLY_F16", "MOSTLY_Q4_0", "MOSTLY_Q4_1", "MOSTLY_Q4_1_SOME_F16", "MOSTLY_Q4_2", "MOSTLY_Q4_3",
        "MOSTLY_Q8_0", "MOSTLY_Q5_0", "MOSTLY_Q5_1", "MOSTLY_Q2_K", "MOSTLY_Q3_K_S", "MOSTLY_Q3_K_M", "MOSTLY_Q3_K_L",
        "MOSTLY_Q4_K_S", "MOSTLY_Q4_K_M", "MOSTLY_Q5_K_S", "MOSTLY_Q5_K_M", "MOSTLY_Q6_K", "MOSTLY_IQ2_XXS",
        "MOSTLY_IQ2_XS", "MOSTLY_Q2_K_S", "MOSTLY_IQ3_XS", "MOSTLY_IQ3_XXS", "MOSTLY_IQ1_S", "MOSTLY_IQ4_NL",
        "MOSTLY_IQ3_S", "MOSTLY_IQ3_M", "MOSTLY_IQ2_S", "MOSTLY_IQ2_M", "MOSTLY_IQ4_XS", "MOSTLY_IQ1_M", "MOSTLY_BF16",
        "MOSTLY_Q4_0_4_4", "MOSTLY_Q4_0_4_8", "MOSTLY_Q4_0_8_8", "MOSTLY_TQ1_0", "MOSTLY_TQ2_0", "MOSTLY_MXFP4_MOE",
        "MOSTLY_NVFP4", "MOSTLY_Q1_0", "MOSTLY_Q2_0",
    ];
}
