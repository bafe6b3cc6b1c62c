using System.Security.Cryptography;
using Governance.Api.Features.Scanners;

namespace Governance.Api.Tests.Features.Scanners;

/// <summary>The scanner stream's rules: a key is registered once, revoked once.</summary>
public sealed class ScannerDeciderTests
{
    private static readonly Actor Admin = new("admin:ada", "Ada Admin", Role.Admin);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.Parse("0195c1a2-0000-7000-8000-0000000000e1");
    private static readonly byte[] Spki = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfo();

    private static ScannerState? Given(params object[] events) =>
        events.Aggregate((ScannerState?)null, (s, e) => (s ?? new ScannerState()).Evolve(e));

    private static readonly object Registered = ScannerDecider.Decide(new ScannerCommand.Register(Id, "gpu-01", Spki, false), null, Admin, Now).Events.Single();

    [Fact]
    public void a_new_key_is_registered_under_its_key_id()
    {
        var e = Assert.IsType<ScannerRegistered>(Registered);
        Assert.Equal(Governance.Attestations.Dsse.KeyIdOf(Spki), e.KeyId);
        Assert.Equal(Spki, Given(e)!.Trusted().SubjectPublicKeyInfo);
    }

    [Fact]
    public void a_key_another_scanner_has_is_refused() =>
        Assert.Equal((409, "Key already registered"),
            ScannerDecider.Decide(new ScannerCommand.Register(Guid.NewGuid(), "copy", Spki, KeyInUse: true), null, Admin, Now).Refusal is { } r ? (r.Status, r.Title) : default);

    [Fact]
    public void a_scanner_id_that_exists_is_refused() =>
        Assert.Equal(409, ScannerDecider.Decide(new ScannerCommand.Register(Id, "again", Spki, false), Given(Registered), Admin, Now).Refusal?.Status);

    [Fact]
    public void revoking_records_the_reason_and_the_key_is_no_longer_trusted()
    {
        var decision = ScannerDecider.Decide(new ScannerCommand.Revoke(Id, "Host decommissioned"), Given(Registered), Admin, Now);
        var revoked = Assert.IsType<ScannerKeyRevoked>(Assert.Single(decision.Events));
        Assert.Equal("Host decommissioned", revoked.Reason);
        Assert.True(Given(Registered, revoked)!.Trusted().Revoked);
    }

    [Fact]
    public void a_revoked_key_is_not_revoked_again()
    {
        var revoked = ScannerDecider.Decide(new ScannerCommand.Revoke(Id, "x"), Given(Registered), Admin, Now).Events.Single();
        Assert.Equal((409, "Already revoked"),
            ScannerDecider.Decide(new ScannerCommand.Revoke(Id, "y"), Given(Registered, revoked), Admin, Now).Refusal is { } r ? (r.Status, r.Title) : default);
    }

    [Fact]
    public void an_unknown_scanner_is_not_found() =>
        Assert.Equal(404, ScannerDecider.Decide(new ScannerCommand.Revoke(Id, "x"), null, Admin, Now).Refusal?.Status);
}
