using Governance.Scanner.Gguf;
using Governance.Scanner.Measurement;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Measurement;

public sealed class RooflineTests
{
    [Fact]
    public void a_mixture_of_experts_roofline_divides_the_bandwidth_by_the_bytes_of_shared_weights_and_active_experts()
    {
        var model = TinyFamilies.Build(TinyFamilies.Qwen3Moe);
        var shape = ModelMetadata.From(GgufReader.Read(new MemoryStream(model.Writer.ToArray()))).Shape;
        const double tg = 120.0, bandwidth = 4.8e12; // an H200: 4.8 TB/s

        // Computed here from the written tensors alone: every non-expert tensor (the embedding as one row, since the
        // output matrix is separate), plus 4 of the 16 experts of each routed tensor.
        long expected = 0;
        foreach (var t in model.Tensors)
        {
            expected += t.Name switch
            {
                _ when t.Name.EndsWith("_exps.weight", StringComparison.Ordinal) => t.Bytes * 4 / 16,
                "token_embd.weight" => t.Bytes / TinyLlama.VocabSize,
                _ => t.Bytes,
            };
        }

        Assert.Equal(expected, shape.BytesReadPerToken);
        Assert.Equal(tg * expected / bandwidth, Roofline.Fraction(tg, bandwidth, shape.BytesReadPerToken)!.Value, 12);
        var wholeFile = Roofline.Fraction(tg, bandwidth, shape.WeightBytes)!.Value;
        Assert.True(wholeFile > 2.5 * Roofline.Fraction(tg, bandwidth, shape.BytesReadPerToken)!.Value,
            "dividing by the whole file would overstate how close the model runs to the bound");
    }

    [Theory]
    [InlineData(null, 1e12, 100L)]
    [InlineData(10.0, null, 100L)]
    [InlineData(0.0, 1e12, 100L)]
    [InlineData(10.0, 1e12, 0L)]
    public void a_roofline_needs_a_rate_a_bandwidth_and_bytes(double? tokensPerSecond, double? bandwidth, long bytes) =>
        Assert.Null(Roofline.Fraction(tokensPerSecond, bandwidth, bytes));
}
