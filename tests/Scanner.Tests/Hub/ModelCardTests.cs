using System.Text;
using CsCheck;
using Governance.Scanner.Hub;

namespace Governance.Scanner.Tests.Hub;

public sealed class ModelCardTests
{
    private static ModelCard? Parse(string text) => ModelCard.Parse(Encoding.UTF8.GetBytes(text));

    private static ModelCardFormatException Refused(string text) => Assert.Throws<ModelCardFormatException>(() => Parse(text));

    internal const string Washed = """
        ---
        license: apache-2.0   # "permissive"
        license_name: 'Acme Open'
        license_link: "https://acme.example/LICENSE"
        base_model:
        - meta-llama/Llama-3.1-8B-Instruct
          - acme/base-8b
        base_model_relation: finetune
        tags:
          - text-generation
        extra:
          license: not-this-one
        widget: |
          license: nor-this
        ---
        # Acme Support 8B
        license: and not this prose
        """;

    [Fact]
    public void the_hub_keys_come_from_the_front_matter_only()
    {
        var card = Parse(Washed);

        Assert.NotNull(card);
        Assert.Equal(("apache-2.0", "Acme Open", "https://acme.example/LICENSE", "finetune"), (card.License, card.LicenseName, card.LicenseLink, card.BaseModelRelation));
        Assert.Equal(["meta-llama/Llama-3.1-8B-Instruct", "acme/base-8b"], card.BaseModels);
    }

    [Fact]
    public void flow_lists_quotes_crlf_and_a_bom_are_read()
    {
        var card = Parse("\uFEFF---\r\nbase_model: [\"a/b\", 'c/d', e/f]\r\nlicense: other\r\n...\r\nbody");

        Assert.Equal(["a/b", "c/d", "e/f"], card!.BaseModels);
        Assert.Equal("other", card.License);
        Assert.Null(card.LicenseName);
    }

    [Theory]
    [InlineData("# no front matter\nlicense: mit")]
    [InlineData("")]
    [InlineData("--- not a fence\nlicense: mit\n---")]
    public void a_card_without_front_matter_has_none(string text) => Assert.Null(Parse(text));

    [Fact]
    public void an_unclosed_front_matter_a_duplicate_key_and_an_unclosed_value_are_refused()
    {
        Assert.Equal(ModelCardError.Unterminated, Refused("---\nlicense: mit\n").Error);
        Assert.Equal(ModelCardError.DuplicateKey, Refused("---\nlicense: mit\nlicense: apache-2.0\n---\n").Error);
        Assert.Equal(ModelCardError.InvalidValue, Refused("---\nbase_model: [a, b\n---\n").Error);
        Assert.Equal(ModelCardError.InvalidValue, Refused("---\nlicense: \"mit\n---\n").Error);
        Assert.Equal(ModelCardError.InvalidValue, Refused("---\nlicense: *anchor\n---\n").Error);
        Assert.Equal(2, Refused("---\nlicense: &a mit\n---\n").Line);
    }

    [Fact]
    public void front_matter_past_the_limit_is_refused_without_decoding_it()
    {
        var huge = "---\n" + new string('#', ModelCard.MaxFrontMatterBytes * 4) + "\n---\n";

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ModelCardError.TooLong, Refused(huge).Error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 * 1024 * 1024);
    }

    [Fact]
    public void invalid_utf8_in_the_front_matter_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("---\nlicense: mit\n---\n");
        bytes[12] = 0xC3;

        Assert.Equal(ModelCardError.InvalidUtf8, Assert.Throws<ModelCardFormatException>(() => ModelCard.Parse(bytes)).Error);
    }

    [Fact]
    public void a_yaml_bomb_is_not_expanded_because_nothing_is_interpreted()
    {
        var bomb = new StringBuilder("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 9; i++) bomb.Append($"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)}]\n");
        bomb.Append("license: mit\n---\n");

        Assert.Equal("mit", Parse(bomb.ToString())!.License);
    }

    [Fact]
    public void mutated_cards_are_read_or_refused_with_a_typed_error_and_never_allocate_much()
    {
        var valid = Encoding.UTF8.GetBytes(Washed);
        var pcg = new PCG(3, 20261202);
        var outcomes = new Dictionary<string, int>();
        var gen = Gen.Select(Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 6];
        for (var i = 0; i < 3000; i++)
        {
            var bytes = gen.Generate(pcg, null, out _).Aggregate(valid, (b, m) => m.Item1 switch
            {
                0 when b.Length > 0 => [.. b[..(m.Item2 % b.Length)], m.Item3, .. b[(m.Item2 % b.Length + 1)..]],
                1 => [.. b[..(m.Item2 % (b.Length + 1))], .. "\n- [:'\"#&*|"u8.ToArray()[(m.Item3 % 11)..((m.Item3 % 11) + 1)], .. b[(m.Item2 % (b.Length + 1))..]],
                _ => b[..(m.Item2 % (b.Length + 1))],
            });
            string outcome;
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                outcome = ModelCard.Parse(bytes) is null ? "none" : "read";
            }
            catch (ModelCardFormatException e)
            {
                outcome = e.Error.ToString();
            }
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 256 * 1024, $"iteration {i} allocated too much");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        Assert.True(outcomes.Count >= 4, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }
}
