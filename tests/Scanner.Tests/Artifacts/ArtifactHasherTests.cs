using System.Security.Cryptography;
using System.Text;
using Governance.Scanner.Artifacts;

namespace Governance.Scanner.Tests.Artifacts;

public sealed class ArtifactHasherTests
{
    // FIPS 180-2 test vectors.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public async Task a_known_buffer_hashes_to_its_known_digest(string text, string digest) =>
        Assert.Equal(digest, await ArtifactHasher.Sha256Async(new MemoryStream(Encoding.ASCII.GetBytes(text))));

    [Fact]
    public async Task a_file_larger_than_the_buffer_hashes_like_a_one_shot_hash_and_reports_every_byte()
    {
        var bytes = new byte[9 * 1024 * 1024 + 123];
        new Random(5).NextBytes(bytes);
        var path = Path.Combine(Path.GetTempPath(), $"artifact-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var progress = new Recorder();

            var digest = await ArtifactHasher.Sha256Async(path, progress);

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), digest);
            Assert.Equal(bytes.Length, progress.Reports.Sum());
            Assert.True(progress.Reports.Count >= 3);
            Assert.All(progress.Reports, r => Assert.InRange(r, 1, 4 * 1024 * 1024));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task hashing_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ArtifactHasher.Sha256Async(new MemoryStream(new byte[1024]), null, cancelled.Token));
    }

    [Fact]
    public void a_digest_other_than_the_registered_one_is_an_artifact_mismatch()
    {
        var finding = ArtifactHasher.CompareToRegistered(new string('a', 64), new string('b', 64));

        // Its severity (blocking) is the evaluator's to say: Policies.Tests FindingCodeTests.
        Assert.NotNull(finding);
        Assert.Equal("artifact-mismatch", finding.Code);
        Assert.Equal(new string('a', 64), finding.Facts["registeredSha256"]);
        Assert.Equal(new string('b', 64), finding.Facts["actualSha256"]);
    }

    [Fact]
    public void the_registered_digest_matches_whatever_its_case_or_prefix()
    {
        var actual = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        Assert.Null(ArtifactHasher.CompareToRegistered("sha256:" + actual.ToUpperInvariant(), actual));
    }

    private sealed class Recorder : IProgress<long>
    {
        public List<long> Reports { get; } = [];
        public void Report(long value) => Reports.Add(value);
    }
}
