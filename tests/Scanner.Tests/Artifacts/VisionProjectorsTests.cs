using Governance.Scanner.Artifacts;
using Governance.Scanner.Tests.Native;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Artifacts;

public sealed class VisionProjectorsTests : IDisposable
{
    private readonly string _dir = NativeTestEnvironment.TempDirectory();

    private string Touch(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, []);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void the_only_projector_beside_the_only_model_belongs_to_it()
    {
        var model = Touch("model.gguf");
        var projector = Touch("mmproj-f16.gguf");

        Assert.Equal(projector, VisionProjectors.FindBeside(model));
    }

    [Fact]
    public void in_a_shared_folder_the_projector_is_the_one_named_like_the_model_whatever_the_weight_types()
    {
        var gemma = Touch("gemma-3-4b-it-Q4_K_M.gguf");
        var llama = Touch("Llama-4-Scout-17B-16E-Instruct-Q8_0.gguf");
        var plain = Touch("qwen3-8b-Q4_K_M.gguf");
        var gemmaProjector = Touch("mmproj-gemma-3-4b-it-f16.gguf");
        var llamaProjector = Touch("Llama-4-Scout-17B-16E-Instruct-mmproj-BF16.gguf");

        Assert.Equal(gemmaProjector, VisionProjectors.FindBeside(gemma));
        Assert.Equal(llamaProjector, VisionProjectors.FindBeside(llama));
        Assert.Null(VisionProjectors.FindBeside(plain)); // a projector of another model is no evidence about this one
    }

    [Fact]
    public void a_lone_projector_beside_several_models_belongs_to_none_unless_named_like_one()
    {
        var a = Touch("a.gguf");
        Touch("b.gguf");
        Touch("mmproj-f16.gguf");

        Assert.Null(VisionProjectors.FindBeside(a));
    }

    [Fact]
    public async Task a_projector_is_read_and_hashed_and_a_file_that_is_not_one_is_ignored()
    {
        var path = Path.Combine(_dir, "mmproj-gemma.gguf");
        TinyFamilies.VisionProjector(TinyFamilies.Gemma3).Write(path);
        var notAProjector = Path.Combine(_dir, "mmproj-broken.gguf");
        await File.WriteAllTextAsync(notAProjector, "GGUF? no");
        var model = Path.Combine(_dir, "mmproj-but-a-model.gguf");
        TinyLlama.Write(model);

        var projector = await VisionProjectors.ReadAsync(path, CancellationToken.None);

        Assert.NotNull(projector);
        Assert.Equal(("gemma3", TinyFamilies.VisionProjectorParameters()), (projector.ProjectorType, projector.Parameters));
        Assert.Equal(await ArtifactHasher.Sha256Async(path), projector.Sha256);
        Assert.Equal(new FileInfo(path).Length, projector.SizeBytes);
        Assert.Null(await VisionProjectors.ReadAsync(notAProjector, CancellationToken.None));
        Assert.Null(await VisionProjectors.ReadAsync(model, CancellationToken.None));
    }
}
