using System.Security.Cryptography;
using System.Text;

namespace Governance.Attestations.Tests;

/// <summary>
/// What a scanner signs stays within the published schema whatever the inspected file says (the Api's own check of the
/// fitted statements: tests/Api.Tests/Features/Attestations/StatementSchemaTests.cs).
/// </summary>
public sealed class StatementBoundsTests
{
    private static ModelFootprint Predicate(FootprintMetadata metadata) => new()
    {
        DeploymentId = Guid.Parse("0195c1a2-0000-7000-8000-000000000001"), ScannedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
        Artifact = new FootprintArtifact { Name = "m.gguf", SizeBytes = 10, Sha256 = new string('a', 64) }, Metadata = metadata,
    };

    private static byte[] Statement(FootprintMetadata metadata) => Dsse.StatementFor("m.gguf", new string('a', 64), Predicate(metadata));

    [Fact]
    public void a_statement_within_the_bounds_is_signed_as_written()
    {
        var statement = Statement(new FootprintMetadata { Name = "Llama 3.1 8B", License = "llama3.1", BaseModels = ["meta-llama/Llama-3.1-8B"] });

        Assert.Same(statement, StatementBounds.Fit(statement));
    }

    [Fact]
    public void a_long_value_is_cut_to_its_bound_and_the_change_keeps_the_original_length_and_digest()
    {
        var license = string.Concat(Enumerable.Repeat("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT ", 2_000)); // 76,000 characters
        var fitted = Dsse.ReadStatement(StatementBounds.Fit(Statement(new FootprintMetadata { License = license })))!.Predicate;

        Assert.Equal(license[..65_536], fitted.Metadata.License);
        var change = Assert.Single(fitted.Truncated);
        Assert.Equal(("$.predicate.metadata.license", (long)license.Length), (change.Path, change.Length));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(license))), change.Sha256);
    }

    [Fact]
    public void a_cut_never_splits_a_surrogate_pair()
    {
        var name = new string('n', 999) + "\U0001F999" + "tail"; // the emoji's two UTF-16 units straddle the 1,000 bound
        var fitted = Dsse.ReadStatement(StatementBounds.Fit(Statement(new FootprintMetadata { Name = name })))!.Predicate;

        Assert.Equal(new string('n', 999), fitted.Metadata.Name);
    }

    [Fact]
    public void characters_that_cannot_be_stored_become_replacement_characters_and_pairs_stay()
    {
        var fitted = Dsse.ReadStatement(StatementBounds.Fit(Statement(new FootprintMetadata { Organization = "a\u0000b\ud800c\U0001F999\u0007" })))!.Predicate;

        Assert.Equal("a\uFFFDb\uFFFDc\U0001F999\uFFFD", fitted.Metadata.Organization);
        Assert.Equal("$.predicate.metadata.organization", Assert.Single(fitted.Truncated).Path);
    }

    [Fact]
    public void an_array_past_its_count_keeps_its_first_items_and_each_item_is_bounded_too()
    {
        var parents = Enumerable.Range(0, 300).Select(i => i == 0 ? new string('p', 600) : $"org/model-{i}").ToList();
        var fitted = Dsse.ReadStatement(StatementBounds.Fit(Statement(new FootprintMetadata { BaseModels = parents })))!.Predicate;

        Assert.Equal(256, fitted.Metadata.BaseModels.Count);
        Assert.Equal(new string('p', 500), fitted.Metadata.BaseModels[0]);
        Assert.Equal("org/model-255", fitted.Metadata.BaseModels[^1]);
        Assert.Equal(["$.predicate.metadata.baseModels", "$.predicate.metadata.baseModels[0]"], fitted.Truncated.Select(t => t.Path));
        Assert.Equal(300, fitted.Truncated[0].Length);
    }

    [Fact]
    public void fitting_twice_changes_nothing_more()
    {
        var once = StatementBounds.Fit(Statement(new FootprintMetadata { License = new string('l', 70_000), Name = "x\u0000" }));

        Assert.Equal(once, StatementBounds.Fit(once));
    }

    /// <summary>Random text of every kind in every string the metadata has: the fitted statement always reads back, fitted.</summary>
    [Fact]
    public void random_metadata_always_fits()
    {
        var random = new Random(20261203);
        string Text(int max)
        {
            var length = random.Next(0, max);
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = (char)(random.Next(4) == 0 ? random.Next(0, 0x30) : random.Next(0xD700, 0xE100));
            return new string(chars);
        }
        for (var round = 0; round < 60; round++)
        {
            var statement = Statement(new FootprintMetadata
            {
                Architecture = Text(400), Name = Text(2_000), Organization = Text(2_000), License = Text(80_000), LicenseName = Text(2_000),
                LicenseLink = Text(4_000), BaseModelRelation = Text(100), BaseModels = Enumerable.Range(0, random.Next(0, 400)).Select(_ => Text(800)).ToList(),
            });
            var fitted = StatementBounds.Fit(statement);
            var metadata = Dsse.ReadStatement(fitted)!.Predicate.Metadata;

            Assert.True(metadata.License!.Length <= 65_536 && metadata.Name!.Length <= 1_000 && metadata.BaseModels.Count <= 256);
            Assert.All(new[] { metadata.Architecture, metadata.Name, metadata.Organization, metadata.License, metadata.LicenseName, metadata.LicenseLink }
                .Concat(metadata.BaseModels), text => Assert.Null(StoredText.Refusal(text)));
            Assert.Equal(fitted, StatementBounds.Fit(fitted));
        }
    }
}
