using System.Buffers.Binary;
using System.Text;
using Governance.Scanner.Safetensors;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Safetensors;

public sealed class SafetensorsReaderTests
{
    internal static SafetensorsWriter Small() => new SafetensorsWriter { Metadata = new() { ["format"] = "pt" } }
        .Add("model.embed_tokens.weight", "BF16", [32, 16])
        .Add("model.layers.0.mlp.experts.0.up_proj.weight", "F16", [8, 16])
        .Add("model.norm.weight", "F32", [16])
        .Add("lm_head.weight", "BF16", [32, 16]);

    private static SafetensorsFile Read(byte[] bytes) => SafetensorsReader.Read(new MemoryStream(bytes));

    private static SafetensorsFormatException Refused(byte[] bytes) => Assert.Throws<SafetensorsFormatException>(() => Read(bytes));

    [Fact]
    public void a_file_as_the_reference_writer_lays_it_out_reads_with_every_tensor_and_the_metadata()
    {
        var bytes = Small().ToArray();

        var file = Read(bytes);

        Assert.Equal(["model.embed_tokens.weight", "model.layers.0.mlp.experts.0.up_proj.weight", "model.norm.weight", "lm_head.weight"], file.Tensors.Select(t => t.Name));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(32 * 16 * 2 + 8 * 16 + 16, file.ParameterCount);
        Assert.Equal(bytes.Length, file.FileLength);
        Assert.Equal(0, file.HeaderLength % 8);
        var norm = file.Tensors[2];
        Assert.Equal(("F32", 16L), (norm.DType, norm.Elements));
        Assert.Equal([16L], norm.Shape);
        Assert.Equal(64, norm.End - norm.Begin);
    }

    [Fact]
    public void a_header_length_beyond_the_limit_or_the_file_is_refused_before_anything_is_allocated_for_it()
    {
        var bytes = Small().ToArray();
        foreach (var claim in new[] { ulong.MaxValue, 1UL << 40, 100_000_001UL, (ulong)bytes.Length })
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, claim);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Refused(bytes);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, $"claim {claim}");
            Assert.Contains(error.Error, new[] { SafetensorsError.HeaderTooLarge, SafetensorsError.Truncated });
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    public void too_short_files_are_truncated(string content) =>
        Assert.Equal(SafetensorsError.Truncated, Refused(Encoding.ASCII.GetBytes(content)).Error);

    public static TheoryData<string, string> BadHeaders => new()
    {
        { "[1,2,3]", nameof(SafetensorsError.NotAnObject) },
        { "{\"a\":", nameof(SafetensorsError.InvalidJson) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", nameof(SafetensorsError.DuplicateName) },
        { "{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.UnknownDType) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.InvalidShape) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.InvalidShape) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.Overflow) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", nameof(SafetensorsError.InvalidOffsets) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,999999999999]}}", nameof(SafetensorsError.InvalidOffsets) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.InvalidOffsets) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", nameof(SafetensorsError.InvalidTensor) },
        { "{\"a\":[1,2]}", nameof(SafetensorsError.InvalidTensor) },
        { "{\"__metadata__\":{\"format\":7}}", nameof(SafetensorsError.InvalidMetadata) },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[[[1]]],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.InvalidJson) }, // deeper than the format goes
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", nameof(SafetensorsError.InvalidShape) },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void a_malformed_header_is_refused_with_the_error_that_names_it(string header, string error)
    {
        // 8 data bytes follow every header, so offsets up to 8 are in bounds.
        var bytes = new SafetensorsWriter().Build(header).Concat(new byte[8]).ToArray();

        Assert.Equal(error, Refused(bytes).Error.ToString());
    }

    [Fact]
    public void holes_and_overlaps_between_tensors_are_refused()
    {
        var data = new byte[8];
        var hole = new SafetensorsWriter().Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}").Concat(data).ToArray();
        var overlap = new SafetensorsWriter().Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}").Concat(data).ToArray();
        var shortOfTheEnd = new SafetensorsWriter().Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}").Concat(data).ToArray();

        Assert.Contains("belong to no tensor", Refused(hole).Message);
        Assert.Contains("overlaps", Refused(overlap).Message);
        Assert.Contains("cover 4 of the 8", Refused(shortOfTheEnd).Message);
    }

    [Fact]
    public void invalid_utf8_in_the_header_is_refused()
    {
        var bytes = new SafetensorsWriter().Build("{\"a\":1}");
        bytes[10] = 0xFF;

        Assert.Equal(SafetensorsError.InvalidUtf8, Refused(bytes).Error);
    }

    [Fact]
    public void sub_byte_dtypes_count_bits_and_an_empty_tensor_is_allowed()
    {
        var header = "{\"fp4\":{\"dtype\":\"F4\",\"shape\":[4,4],\"data_offsets\":[0,8]},\"none\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[8,8]}}";

        var file = Read(new SafetensorsWriter().Build(header).Concat(new byte[8]).ToArray());

        Assert.Equal((16L, 0L), (file.Tensors[0].Elements, file.Tensors[1].Elements));
    }
}
