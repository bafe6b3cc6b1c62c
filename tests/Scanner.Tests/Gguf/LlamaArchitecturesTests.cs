using System.Text.RegularExpressions;
using Governance.Scanner.Gguf;
using Governance.Scanner.Tests.Native;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Gguf;

public sealed partial class LlamaArchitecturesTests
{
    [GeneratedRegex(@"\{\s*LLM_ARCH_\w+\s*,\s*""(?<name>[^""]+)""\s*\}")]
    private static partial Regex ArchName();

    [Fact]
    public void the_table_is_exactly_the_architectures_of_the_fetched_release()
    {
        var source = File.ReadAllText(Path.Combine(NativeTestEnvironment.LlamaSource, "src", "llama-arch.cpp"));
        var start = source.IndexOf("LLM_ARCH_NAMES = {", StringComparison.Ordinal);
        var table = source[start..source.IndexOf("};", start, StringComparison.Ordinal)];
        var names = ArchName().Matches(table).Select(m => m.Groups["name"].Value)
            .Where(n => n is not ("(unknown)" or LlamaArchitectures.Projector)).ToHashSet();

        Assert.True(names.Count > 100, $"parsed only {names.Count} names; has llama-arch.cpp changed shape?");
        Assert.Equal(names.Order(), LlamaArchitectures.Supported.Order());
        Assert.All(LlamaArchitectures.KnownUnsupported.Keys, k => Assert.DoesNotContain(k, names));
        Assert.All(TinyFamilies.All, f => Assert.Contains(f.Architecture, names));
    }
}
