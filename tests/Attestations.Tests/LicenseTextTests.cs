using System.Text;
using System.Text.RegularExpressions;

namespace Governance.Attestations.Tests;

public sealed class LicenseTextTests
{
    private static readonly string TextsDir = FindTexts();

    private static readonly IReadOnlyDictionary<string, LicenseFingerprint> Catalog =
        Directory.GetFiles(TextsDir, "*.txt").ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => LicenseText.Fingerprint(File.ReadAllText(f)));

    private static string Text(string id) => File.ReadAllText(Path.Combine(TextsDir, id + ".txt"));

    /// <summary>The same agreement as a model hub shows it: markdown headings and bold, bullets, links, re-wrapped lines, CRLF.</summary>
    internal static string AsMarkdown(string license)
    {
        var lines = new List<string>();
        foreach (var raw in license.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) { lines.Add(""); continue; }
            if (line.Length < 60 && line == line.ToUpperInvariant() && line.Any(char.IsLetter)) { lines.Add("## " + line); continue; }
            line = Regex.Replace(line, "^([a-z]|[ivx]+)\\. ", "- **$1.** ");
            line = Regex.Replace(line, @"(https?://[^\s)]+)", "[$1]($1)");
            line = line.Replace("“", "\"").Replace("”", "\"").Replace("’", "'");
            // Re-wrap at 72 columns.
            var words = line.Split(' ');
            var current = new StringBuilder();
            foreach (var word in words)
            {
                if (current.Length + word.Length > 72) { lines.Add(current.ToString().TrimEnd()); current.Clear(); }
                current.Append(word).Append(' ');
            }
            lines.Add(current.ToString().TrimEnd());
        }
        return "\uFEFF" + string.Join("\r\n", lines);
    }

    [Theory]
    [InlineData("llama3.1")]
    [InlineData("llama3.2")]
    [InlineData("llama3.3")]
    [InlineData("llama4")]
    [InlineData("llama2")]
    [InlineData("apache-2.0")]
    [InlineData("deepseek")]
    public void each_catalog_text_identifies_as_itself_exactly_also_reformatted_as_markdown(string id)
    {
        var plain = LicenseText.Identify(LicenseText.Fingerprint(Text(id)), Catalog);
        var markdown = LicenseText.Identify(LicenseText.Fingerprint(AsMarkdown(Text(id))), Catalog);

        Assert.Equal(new LicenseMatch(id, 1, true), plain);
        Assert.Equal(new LicenseMatch(id, 1, true), markdown);
    }

    [Fact]
    public void a_llama_3_1_agreement_with_a_few_words_changed_still_identifies_as_llama_3_1_not_its_siblings()
    {
        var edited = Text("llama3.1").Replace("Meta Platforms, Inc.", "Meta Platforms Inc and its affiliates")
            + "\n\nRedistributed by Acme Models GmbH, Berlin, with the model weights of Acme-Support-8B.\n";

        var match = LicenseText.Identify(LicenseText.Fingerprint(edited), Catalog);

        Assert.NotNull(match);
        Assert.Equal("llama3.1", match.LicenseId);
        Assert.False(match.Exact);
        Assert.InRange(match.Similarity, 0.9, 0.999);
        var fingerprint = LicenseText.Fingerprint(edited);
        Assert.All(new[] { "llama3.2", "llama3.3", "llama4" }, sibling =>
            Assert.True(LicenseText.Similarity(fingerprint, Catalog[sibling]) < match.Similarity, sibling));
    }

    [Fact]
    public void apache_2_0_is_not_a_llama_agreement_nor_the_other_way_round()
    {
        var apache = LicenseText.Fingerprint(Text("apache-2.0"));

        Assert.Equal("apache-2.0", LicenseText.Identify(apache, Catalog)?.LicenseId);
        Assert.All(Catalog.Keys.Where(k => k.StartsWith("llama", StringComparison.Ordinal)), llama =>
            Assert.True(LicenseText.Similarity(apache, Catalog[llama]) < 0.1, llama));
        Assert.NotEqual("apache-2.0", LicenseText.Identify(LicenseText.Fingerprint(Text("llama3.1")), Catalog)?.LicenseId);
    }

    [Fact]
    public void an_mit_notice_with_its_copyright_line_filled_in_identifies_as_mit()
    {
        var notice = Text("mit").Replace("[year] [fullname]", "2023 DeepSeek");

        var match = LicenseText.Identify(LicenseText.Fingerprint(notice), Catalog);

        Assert.Equal("mit", match?.LicenseId);
        Assert.False(match!.Exact);
    }

    [Fact]
    public void unrelated_text_and_empty_text_identify_as_nothing()
    {
        Assert.Null(LicenseText.Identify(LicenseText.Fingerprint("This model card describes a support assistant for the Acme help desk."), Catalog));
        var empty = LicenseText.Fingerprint("  \n# \n");
        Assert.Equal(0, empty.Words);
        Assert.Null(LicenseText.Identify(empty, Catalog));
    }

    [Fact]
    public void normalisation_keeps_letters_and_digits_of_any_script_and_drops_markup_urls_and_case()
    {
        Assert.Equal("llama 3 1 version release date july 23 2024",
            LicenseText.Normalize("**Llama 3.1** Version _Release Date_: [July 23, 2024](https://llama.meta.com/x?a=b)"));
        Assert.Equal("通义千问 许可协议 ärger", LicenseText.Normalize("通义千问 — 许可协议\r\n\tÄRGER"));
        Assert.Equal("", LicenseText.Normalize("  — * # "));
    }

    [Fact]
    public void fingerprints_are_deterministic_and_say_their_algorithm()
    {
        var a = LicenseText.Fingerprint(Text("llama4"));
        var b = LicenseText.Fingerprint(Text("llama4"));

        Assert.Equal(a, b);
        Assert.Equal(LicenseText.AlgorithmName, a.Algorithm);
        Assert.Equal(LicenseText.Slots * 4, Convert.FromBase64String(a.MinHash!).Length);
        Assert.Equal(0, LicenseText.Similarity(a, a with { Algorithm = "something-else-v9" }));
        Assert.Equal(0, LicenseText.Similarity(a with { NormalizedSha256 = null }, a with { NormalizedSha256 = null, MinHash = "not base64" }));
    }

    private static string FindTexts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var texts = Path.Combine(dir.FullName, "policies", "license-texts");
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln")) && Directory.Exists(texts)) return texts;
        }
        throw new InvalidOperationException($"No policies/license-texts above {AppContext.BaseDirectory}.");
    }
}
