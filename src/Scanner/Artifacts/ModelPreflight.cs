using System.Globalization;
using Governance.Attestations;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Artifacts;

/// <summary>
/// What must hold before a GGUF the reader accepted is handed to llama.cpp. An architecture v0.5.0 does not know would
/// only fail the load ("unknown model architecture") and leave the deployment silently unscanned; hyper-parameters out
/// of the ranges <c>llama_model_base::load_hparams</c> checks with <c>GGML_ASSERT</c> would abort the whole scanner
/// process. Both become a finding the Api records instead.
/// </summary>
internal static class ModelPreflight
{
    public static ScanFailure? Check(GgufFile file, string fileName)
    {
        ArgumentNullException.ThrowIfNull(file);
        var architecture = file.GetString("general.architecture");
        if (string.IsNullOrEmpty(architecture))
            return Unreadable(fileName, "general.architecture", "The file names no architecture (general.architecture), so no runtime can know how to run it.");

        if (architecture == LlamaArchitectures.Projector)
            return Unsupported(fileName, architecture,
                "This is a multimodal projector (mmproj), not a language model: it is attested with the model it belongs to, which is scanned instead.");
        if (!LlamaArchitectures.Supported.Contains(architecture))
        {
            var why = LlamaArchitectures.KnownUnsupported.GetValueOrDefault(architecture)
                ?? "llama.cpp v0.5.0 has no architecture of this name (src/llama-arch.cpp), so it cannot load or measure the model.";
            return Unsupported(fileName, architecture, why);
        }

        long? Int(string suffix) => file.GetInteger($"{architecture}.{suffix}");
        var layers = Int("block_count");
        if (layers is not (> 0 and <= LlamaArchitectures.MaxLayers))
            return Unreadable(fileName, $"{architecture}.block_count", $"{architecture}.block_count is {Show(layers)}; llama.cpp needs 1 to {LlamaArchitectures.MaxLayers}.");
        if (Int("nextn_predict_layers") is { } nextn && (nextn < 0 || nextn > layers))
            return Unreadable(fileName, $"{architecture}.nextn_predict_layers", $"{architecture}.nextn_predict_layers is {nextn}, more than the {layers} layers.");

        var experts = Int("expert_count") ?? 0;
        var used = ModelShape.MaxInteger(file, $"{architecture}.expert_used_count") ?? 0;
        var groups = Int("expert_group_count") ?? 0;
        var groupsUsed = Int("expert_group_used_count") ?? 0;
        string? broken = experts switch
        {
            < 0 or > LlamaArchitectures.MaxExperts => $"expert_count is {experts}; llama.cpp allows 0 to {LlamaArchitectures.MaxExperts}",
            > 0 when used <= 0 => $"expert_count is {experts} but expert_used_count is {used}: a mixture of experts routes to at least one",
            > 0 when used > experts => $"expert_used_count ({used}) exceeds expert_count ({experts})",
            > 0 when groups >= experts => $"expert_group_count ({groups}) must be below expert_count ({experts})",
            > 0 when groups > 1 && (experts % groups != 0 || groupsUsed <= 0 || groupsUsed >= groups) =>
                $"expert_group_count {groups} with expert_group_used_count {groupsUsed} does not divide {experts} experts into groups of which some but not all are used",
            0 when used != 0 || groups != 0 => $"expert_used_count ({used}) or expert_group_count ({groups}) is set without experts",
            _ => null,
        };
        return broken is null ? null : Unreadable(fileName, $"{architecture}.expert_count", $"{broken}; llama.cpp would abort on it.");
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "missing";

    private static ScanFailure Unsupported(string fileName, string architecture, string why) => new(
        ScanFailureCodes.ArchitectureUnsupported,
        $"The model's architecture '{architecture}' cannot be run by the scanner's llama.cpp (v0.5.0), so it was not measured or attested. {why}",
        new Dictionary<string, string> { ["file"] = fileName, ["architecture"] = architecture, ["llamaCpp"] = "v0.5.0", ["reason"] = why });

    private static ScanFailure Unreadable(string fileName, string key, string why) => new(
        ScanFailureCodes.ArtifactUnreadable,
        $"Not a model llama.cpp can load, so it never saw it: {why}",
        new Dictionary<string, string> { ["file"] = fileName, ["key"] = key, ["error"] = why });
}
