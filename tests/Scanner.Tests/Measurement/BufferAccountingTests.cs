using Governance.Scanner.Measurement;

namespace Governance.Scanner.Tests.Measurement;

public sealed class BufferAccountingTests
{
    [Theory]
    [InlineData("load_tensors:   CPU_Mapped model buffer size =    14.50 MiB", "CPU_Mapped", "Weights", 15_204_352L)]
    [InlineData("llama_kv_cache:        CPU KV buffer size =     0.06 MiB", "CPU", "KvCache", 62_915L)]
    [InlineData("llama_context:        CPU  output buffer size =     0.00 MiB", "CPU", "Output", 0L)]
    [InlineData("llama_context:      CUDA0 compute buffer size =   560.00 MiB", "CUDA0", "Compute", 587_202_560L)]
    [InlineData("llama_context:  CUDA_Host compute buffer size =    24.01 MiB", "CUDA_Host", "Compute", 25_176_310L)]
    [InlineData("llama_memory_recurrent:        CPU RS buffer size =     1.50 MiB", "CPU", "KvCache", 1_572_864L)]
    [InlineData("load_tensors:        CUDA0 model buffer size =  4403,49 MiB", "CUDA0", "Weights", 4_617_393_930L)]
    [InlineData("   CPU_REPACK model buffer size = 2.00 GiB", "CPU_REPACK", "Weights", 2_147_483_648L)]
    public void buffer_lines_are_read_whatever_their_spacing_scope_or_unit(string line, string buffer, string kind, long bytes)
    {
        var parsed = BufferAccounting.Parse(line);

        Assert.NotNull(parsed);
        Assert.Equal((buffer, Enum.Parse<BufferKind>(kind)), (parsed.Buffer, parsed.Kind));
        Assert.Equal(bytes, parsed.Bytes, tolerance: 1);
    }

    [Theory]
    [InlineData("llama_context: CPU compute buffer size of 1.2000 MiB, does not match expectation of 1.1000 MiB")]
    [InlineData("print_info: file size   = 1.02 MiB (32.00 BPW)")]
    [InlineData("llama_kv_cache: size =    0.06 MiB (   256 cells,   2 layers,  1/1 seqs), K (f16):    0.03 MiB")]
    [InlineData("")]
    public void other_lines_are_not_buffers(string line) => Assert.Null(BufferAccounting.Parse(line));

    [Fact]
    public void on_a_gpu_only_device_buffers_count_and_nvml_gives_the_total()
    {
        BufferAllocation[] buffers =
        [
            new("CUDA0", BufferKind.Weights, 1000, ""), new("CPU_Mapped", BufferKind.Weights, 50, ""),
            new("CUDA0", BufferKind.KvCache, 200, ""), new("CUDA0", BufferKind.Compute, 30, ""),
            new("CUDA_Host", BufferKind.Compute, 7, ""), new("CUDA0", BufferKind.Output, 1, ""),
        ];

        var gpu = Measurer.DeviceBytesOf(buffers, onGpu: true, nvmlUsed: 1500);
        var cpu = Measurer.DeviceBytesOf(buffers, onGpu: false, nvmlUsed: null);

        Assert.Equal((1000L, 200L, 31L, 1500L), (gpu.Weights, gpu.KvCache, gpu.Compute, gpu.Total));
        Assert.Equal((1050L, 200L, 38L, 1288L), (cpu.Weights, cpu.KvCache, cpu.Compute, cpu.Total));
    }
}
