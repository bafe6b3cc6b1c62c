using Governance.Attestations;
using Governance.Scanner.Host;
using Governance.Scanner.Measurement;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Host;

namespace Governance.Scanner.Tests.Measurement;

[Collection(SerialNative.Name)]
public sealed class SweepTests(ModelFolder models) : IClassFixture<ModelFolder>
{
    private static readonly BenchSettings Quick = new() { PromptTokens = 32, GenerateTokens = 8, Repetitions = 1, Threads = 2, ContextLength = 256 };

    [Fact]
    public async Task a_sweep_measures_every_ubatch_and_flash_attention_setting_and_attests_the_fastest_generation()
    {
        var path = models.Write("sweep.gguf");
        using var key = ScannerKey.LoadOrCreate(Path.Combine(models.Dir, "keys", "k.pem"));

        var outcome = await new ScanPipeline(key, new FixedClock(DateTimeOffset.UnixEpoch)).ScanAsync(new ScanRequest { Path = path, Bench = Quick, Sweep = true });

        var sweep = Attestation.Verify(Attestation.ToJson(outcome.Envelope!), key.PublicKeyPem).Statement!.Predicate.Sweep;
        Assert.NotNull(sweep);
        Assert.Equal("tg", sweep.Criterion);
        Assert.Equal(
            [(256, false), (256, true), (512, false), (512, true), (1024, false), (1024, true)],
            sweep.Trials.Select(t => (t.Configuration.UBatch, t.Configuration.FlashAttention!.Value)));
        Assert.All(sweep.Trials, t => Assert.Equal(["pp32", "tg8"], t.Throughput.Select(x => x.Test)));
        var fastest = sweep.Trials.MaxBy(t => t.Throughput.Single(x => x.NGen > 0).MeanTokensPerSecond)!;
        Assert.Equal(fastest.Configuration, sweep.Best);
        var predicate = outcome.Predicate!;
        Assert.Equal(fastest.Throughput.Select(t => t.MeanTokensPerSecond), predicate.Throughput.Select(t => t.MeanTokensPerSecond));
    }

    [Fact]
    public void the_best_is_the_fastest_generation_then_the_fastest_prompt_then_the_first()
    {
        static SweepTrial Trial(int ubatch, double pp, double tg) => new(new FootprintConfiguration { UBatch = ubatch },
            new ModelMeasurement
            {
                ModelBytes = 1, Parameters = 1, Description = "", ContextLength = 1, Buffers = [], DeviceBytes = new(), LoadSeconds = 0, ContextSeconds = 0,
                Environment = new(), BytesReadPerToken = 1, BytesReadPerTokenBasis = BytesPerTokenBasis.ModelSize,
                Throughput = [new ThroughputTest { NPrompt = 512, MeanTokensPerSecond = pp }, new ThroughputTest { NGen = 128, MeanTokensPerSecond = tg }],
            });

        Assert.Equal(512, Sweep.Best([Trial(256, 900, 50), Trial(512, 800, 60), Trial(1024, 1000, 55)]).Configuration.UBatch);
        Assert.Equal(1024, Sweep.Best([Trial(256, 900, 60), Trial(1024, 1000, 60)]).Configuration.UBatch);
        Assert.Equal(256, Sweep.Best([Trial(256, 900, 60), Trial(512, 900, 60)]).Configuration.UBatch);
    }

    [Fact]
    public void fewer_gpu_layers_join_the_grid_only_when_the_weights_do_not_fit()
    {
        var fits = Sweep.Grid(Quick, layers: 32, modelBytes: 16L << 30, freeDeviceBytes: 140L << 30).ToList();
        var tooBig = Sweep.Grid(Quick, layers: 32, modelBytes: 160L << 30, freeDeviceBytes: 140L << 30).ToList();
        var cpu = Sweep.Grid(Quick, layers: 32, modelBytes: 160L << 30, freeDeviceBytes: null).ToList();

        Assert.Equal(6, fits.Count);
        Assert.All(fits, c => Assert.Null(c.GpuLayers));
        Assert.Equal([24, 16, 8], tooBig.Select(c => c.GpuLayers!.Value).Distinct());
        Assert.Equal(18, tooBig.Count);
        Assert.Equal(6, cpu.Count);
    }
}
