using System.Security.Cryptography;
using System.Text;

namespace Governance.Attestations.Tests;

public sealed class EnvelopeVerificationTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static readonly ModelFootprint Predicate = new()
    {
        DeploymentId = Guid.Parse("0195c1a2-0000-7000-8000-000000000001"),
        ScannedAt = DateTimeOffset.UnixEpoch,
        Artifact = new FootprintArtifact { Name = "m.gguf", SizeBytes = 10, Sha256 = new string('c', 64) },
    };

    private static TrustedKey Trusted(ECDsa key, bool revoked = false) =>
        new(Dsse.KeyIdOf(key.ExportSubjectPublicKeyInfo()), key.ExportSubjectPublicKeyInfo(), revoked);

    private Dsse.Envelope Signed(ModelFootprint predicate, string subjectSha256) =>
        Dsse.Sign(Dsse.StatementFor("m.gguf", subjectSha256, predicate), _key);

    public void Dispose()
    {
        _key.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void a_signed_statement_verifies_and_any_changed_byte_does_not()
    {
        var envelope = Signed(Predicate, new string('c', 64));
        var spki = _key.ExportSubjectPublicKeyInfo();
        var payload = Convert.FromBase64String(envelope.Payload);
        var sig = Convert.FromBase64String(envelope.Signatures[0].Sig);

        Assert.Equal(Dsse.KeyIdOf(spki), envelope.Signatures[0].KeyId);
        Assert.True(Dsse.Verify(spki, Dsse.PreAuthenticationEncoding(envelope.PayloadType, payload), sig));
        var read = Dsse.ReadStatement(payload);
        Assert.NotNull(read);
        Assert.Equal(Predicate.DeploymentId, read.Predicate.DeploymentId);

        for (var i = 0; i < payload.Length; i += 7)
        {
            var changed = payload.ToArray();
            changed[i] ^= 0x01;
            Assert.False(Dsse.Verify(spki, Dsse.PreAuthenticationEncoding(envelope.PayloadType, changed), sig));
        }
        Assert.False(Dsse.Verify(spki, Dsse.PreAuthenticationEncoding("text/plain", payload), sig));
    }

    [Fact]
    public void an_envelope_signed_by_a_trusted_key_verifies_to_its_statement()
    {
        var verdict = EnvelopeVerification.Verify(Signed(Predicate, new string('c', 64)), [Trusted(_other), Trusted(_key)]);

        Assert.True(verdict.Verified, verdict.Detail);
        Assert.Equal(Trusted(_key).KeyId, verdict.SignedBy!.KeyId);
        Assert.Equal(new string('c', 64), verdict.Statement!.SubjectSha256);
        Assert.Equal(Predicate.DeploymentId, verdict.Statement.Predicate.DeploymentId);
    }

    [Fact]
    public void a_tampered_payload_is_not_verified()
    {
        var envelope = Signed(Predicate, new string('c', 64));
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(envelope.Payload)).Replace("m.gguf", "x.gguf");
        var tampered = envelope with { Payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) };

        var verdict = EnvelopeVerification.Verify(tampered, [Trusted(_key)]);

        Assert.Equal(EnvelopeRejection.SignatureNotVerified, verdict.Rejection);
        Assert.Contains("altered", verdict.Detail);
    }

    [Fact]
    public void an_envelope_by_an_unknown_key_is_not_verified() =>
        Assert.Equal(EnvelopeRejection.SignatureNotVerified, EnvelopeVerification.Verify(Signed(Predicate, new string('c', 64)), [Trusted(_other)]).Rejection);

    [Fact]
    public void a_stranger_claiming_a_trusted_key_id_is_not_verified()
    {
        var forged = Dsse.Sign(Dsse.StatementFor("m.gguf", new string('c', 64), Predicate), _other) is var e
            ? e with { Signatures = [e.Signatures[0] with { KeyId = Trusted(_key).KeyId }] }
            : null;

        Assert.Equal(EnvelopeRejection.SignatureNotVerified, EnvelopeVerification.Verify(forged, [Trusted(_key)]).Rejection);
    }

    [Fact]
    public void an_envelope_whose_only_key_was_revoked_says_so() =>
        Assert.Equal(EnvelopeRejection.KeyRevoked, EnvelopeVerification.Verify(Signed(Predicate, new string('c', 64)), [Trusted(_key, revoked: true)]).Rejection);

    [Fact]
    public void a_subject_that_is_not_the_predicates_artifact_is_refused() =>
        Assert.Equal(EnvelopeRejection.SubjectMismatch, EnvelopeVerification.Verify(Signed(Predicate, new string('d', 64)), [Trusted(_key)]).Rejection);

    [Fact]
    public void a_signed_payload_that_is_not_a_statement_is_refused()
    {
        var envelope = Dsse.Sign("""{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"other"}"""u8.ToArray(), _key);

        Assert.Equal(EnvelopeRejection.NotAStatement, EnvelopeVerification.Verify(envelope, [Trusted(_key)]).Rejection);
    }

    public static TheoryData<Dsse.Envelope?> Malformed => new()
    {
        null,
        new Dsse.Envelope("text/plain", "aGk=", [new Dsse.EnvelopeSignature("k", "aGk=")]),
        new Dsse.Envelope(Dsse.InTotoPayloadType, "not base64!", [new Dsse.EnvelopeSignature("k", "aGk=")]),
        new Dsse.Envelope(Dsse.InTotoPayloadType, "aGk=", []),
        new Dsse.Envelope(Dsse.InTotoPayloadType, "aGk=", [null!]),
        new Dsse.Envelope(Dsse.InTotoPayloadType, null!, [new Dsse.EnvelopeSignature("k", "aGk=")]),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void malformed_envelopes_are_refused_not_errors(Dsse.Envelope? envelope) =>
        Assert.Equal(EnvelopeRejection.Malformed, EnvelopeVerification.Verify(envelope, [Trusted(_key)]).Rejection);
}
