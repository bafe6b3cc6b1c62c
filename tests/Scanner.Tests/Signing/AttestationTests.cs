using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Attestations;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Native;

namespace Governance.Scanner.Tests.Signing;

public sealed class AttestationTests : IDisposable
{
    private readonly string _dir = NativeTestEnvironment.TempDirectory();

    private static readonly ModelFootprint Predicate = new()
    {
        DeploymentId = Guid.Parse("0195c1a2-0000-7000-8000-000000000001"),
        ScannedAt = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero),
        Artifact = new FootprintArtifact { Name = "tiny.gguf", SizeBytes = 1234, Sha256 = new string('c', 64) },
        Throughput = [new ThroughputTest { Test = "tg128", NGen = 128, Repetitions = 5, MeanTokensPerSecond = 142.7, SamplesTokensPerSecond = [142.7] }],
    };

    [Fact]
    public void a_signed_predicate_verifies_with_the_dsse_rules_the_api_uses()
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "k.pem"));

        var envelope = Attestation.Sign(Predicate, key);

        var payload = Convert.FromBase64String(envelope.Payload);
        var signature = Assert.Single(envelope.Signatures);
        Assert.Equal(key.KeyId, signature.KeyId);
        Assert.True(Dsse.Verify(key.Key.ExportSubjectPublicKeyInfo(),
            Dsse.PreAuthenticationEncoding(envelope.PayloadType, payload), Convert.FromBase64String(signature.Sig)));
        var statement = Dsse.ReadStatement(payload);
        Assert.NotNull(statement);
        Assert.Equal(new string('c', 64), statement.Subject[0].Digest!["sha256"]);
        Assert.Equal("tiny.gguf", statement.Subject[0].Name);
        Assert.Equal(Predicate.DeploymentId, statement.Predicate.DeploymentId);
        Assert.Equal(142.7, statement.Predicate.Throughput[0].MeanTokensPerSecond);

        var verdict = Attestation.Verify(Attestation.ToJson(envelope), key.PublicKeyPem);
        Assert.True(verdict.Valid, verdict.Reason);
    }

    /// <summary>A GGUF may carry a whole license text, or more, in general.license: the signed statement is fitted and still verifies.</summary>
    [Fact]
    public void a_predicate_past_the_schema_bounds_is_signed_fitted_and_verifies()
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "k.pem"));
        var license = new string('L', 100_000);

        var envelope = Attestation.Sign(Predicate with { Metadata = new FootprintMetadata { License = license, Name = "tiny\u0000" } }, key);

        var verdict = Attestation.Verify(Attestation.ToJson(envelope), key.PublicKeyPem);
        Assert.True(verdict.Valid, verdict.Reason);
        var predicate = verdict.Statement!.Predicate;
        Assert.Equal((65_536, "tiny\uFFFD"), (predicate.Metadata.License!.Length, predicate.Metadata.Name));
        Assert.Equal(["$.predicate.metadata.name", "$.predicate.metadata.license"], predicate.Truncated.Select(t => t.Path));
    }

    [Fact]
    public void a_tampered_payload_no_longer_verifies()
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "k.pem"));
        var envelope = Attestation.Sign(Predicate, key);
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(envelope.Payload)).Replace("142.7", "942.7");
        var tampered = envelope with { Payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)) };

        Assert.False(Dsse.Verify(key.Key.ExportSubjectPublicKeyInfo(),
            Dsse.PreAuthenticationEncoding(tampered.PayloadType, Convert.FromBase64String(tampered.Payload)), Convert.FromBase64String(tampered.Signatures[0].Sig)));
        var verdict = Attestation.Verify(Attestation.ToJson(tampered), key.PublicKeyPem);
        Assert.False(verdict.Valid);
        Assert.Contains("altered", verdict.Reason);
    }

    [Fact]
    public void another_key_does_not_verify_it()
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "k.pem"));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var verdict = Attestation.Verify(Attestation.ToJson(Attestation.Sign(Predicate, key)), other.ExportSubjectPublicKeyInfoPem());

        Assert.False(verdict.Valid);
        Assert.Contains("no signature verifies against this key", verdict.Reason);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    [InlineData("""{"payloadType":"text/plain","payload":"aGk=","signatures":[{"keyid":"k","sig":"aGk="}]}""")]
    public void malformed_envelopes_are_invalid_not_errors(string json)
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "k.pem"));

        Assert.False(Attestation.Verify(json, key.PublicKeyPem).Valid);
    }

    [Fact]
    public void the_envelope_json_has_the_dsse_field_names()
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "k.pem"));

        using var json = JsonDocument.Parse(Attestation.ToJson(Attestation.Sign(Predicate, key)));

        Assert.Equal(Dsse.InTotoPayloadType, json.RootElement.GetProperty("payloadType").GetString());
        Assert.True(json.RootElement.GetProperty("signatures")[0].TryGetProperty("keyid", out _));
        Assert.True(json.RootElement.GetProperty("signatures")[0].TryGetProperty("sig", out _));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
