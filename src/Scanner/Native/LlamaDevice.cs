using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>A ggml backend device and its memory at the moment it was queried (ggml_backend_dev_get_props).</summary>
internal sealed record LlamaDevice(
    string Name,
    string Description,
    GgmlBackendDevType Type,
    string Backend,
    ulong FreeBytes,
    ulong TotalBytes,
    string? PciBusId)
{
    internal static unsafe LlamaDevice Query(nint device)
    {
        GgmlBackendDevProps props;
        NativeApi.ggml_backend_dev_get_props(device, &props);
        var reg = NativeApi.ggml_backend_dev_backend_reg(device);
        return new LlamaDevice(
            Marshal.PtrToStringUTF8((nint)props.name) ?? "",
            Marshal.PtrToStringUTF8((nint)props.description) ?? "",
            props.type,
            reg == 0 ? "" : Marshal.PtrToStringUTF8((nint)NativeApi.ggml_backend_reg_name(reg)) ?? "",
            props.memory_free,
            props.memory_total,
            Marshal.PtrToStringUTF8((nint)props.device_id));
    }
}
