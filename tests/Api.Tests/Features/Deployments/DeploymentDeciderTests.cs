using System.Security.Cryptography;
using Governance.Api.Features.Assessing;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using Governance.Policies;
using Governance.Policies.Evaluation;
using static Governance.Api.Features.Deployments.DeploymentCommand;

namespace Governance.Api.Tests.Features.Deployments;

/// <summary>
/// The deployment's rules, without a database: Given the events on record, When a command arrives, Then these events
/// follow, or this refusal. The evaluator is the real one, bound to the repository's catalog and default rules.
/// </summary>
public sealed class DeploymentDeciderTests : IDisposable
{
    private static readonly Guid Id = Guid.Parse("0195c1a2-0000-7000-8000-0000000000d1");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly PolicySet Policies = PolicySet.Load(Path.Combine(Infrastructure.ApiFixture.RepoRoot, "policies"));
    private static readonly Actor Architect = new("architect:ari", "Ari Architect", Role.Architect);
    private static readonly Actor Legal = new("legal:dana", "Dana Legal", Role.Legal);
    private static readonly Actor Scanner = new("scanner:gpu", "gpu-01", Role.Scanner);
    private static readonly string Sha = new('a', 64);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    private static DecisionContext As(Actor by, DateTimeOffset? at = null, CompanyRules? rules = null) =>
        new(AssessmentBasis.Of(Policies, null) with { Rules = rules ?? Policies.DefaultRules }, by, at ?? Now);

    private static ModelFacts Model => new("Meta-Llama-3.1-8B-Instruct", "llama3.1", new DateOnly(2024, 7, 23), "US", Modality.Text, Sha, false, [], null);

    private static UsageFacts Usage(params string[] regions) =>
        new(true, Hosting.Saas, regions.Length == 0 ? ["eu-west-1"] : regions, ["personal"], true, false, ["customer-support"], 250_000);

    private static IReadOnlyList<object> Registered(params string[] regions) =>
        DeploymentDecider.Decide(new Register(Id, "Support assistant", Model, Usage(regions)), null, As(Architect)).Events;

    private static Decision When(IEnumerable<object> given, DeploymentCommand command, DecisionContext? context = null) =>
        DeploymentDecider.Decide(command, Fold(given), context ?? As(Legal));

    private static DeploymentState? Fold(IEnumerable<object> events) =>
        events.Aggregate((DeploymentState?)null, (state, e) => (state ?? new DeploymentState()).Evolve(e));

    private static IReadOnlyList<object> Then(Decision decision, params Type[] events)
    {
        Assert.Null(decision.Refusal);
        Assert.Equal(events, decision.Events.Select(e => e.GetType()));
        return decision.Events;
    }

    private static Refusal Refused(Decision decision, int status, string title)
    {
        Assert.Empty(decision.Events);
        Assert.NotNull(decision.Refusal);
        Assert.Equal((status, title), (decision.Refusal.Status, decision.Refusal.Title));
        return decision.Refusal;
    }

    private static IReadOnlyList<object> Approved(params string[] regions) =>
        [.. Registered(regions), .. When(Registered(regions), new DeploymentCommand.Decide(Id, true, "Fine.", [])).Events];

    // Register

    [Fact]
    public void registering_records_the_deployment_and_its_first_assessment()
    {
        var events = Then(DeploymentDecider.Decide(new Register(Id, "Support assistant", Model, Usage()), null, As(Architect)),
            typeof(DeploymentRegistered), typeof(DeploymentAssessed));
        var assessed = (DeploymentAssessed)events[1];
        Assert.Equal(("registered", Verdict.Conditional, Policies.Version), (assessed.Trigger, assessed.Verdict, assessed.CatalogVersion));
        Assert.Equal(Architect, assessed.By);
    }

    [Fact]
    public void registering_an_id_that_exists_is_refused() =>
        Refused(When(Registered(), new Register(Id, "again", Model, Usage())), 409, "Deployment exists");

    [Fact]
    public void any_other_command_for_an_unknown_deployment_is_not_found() =>
        Assert.Contains(Id.ToString(), Refused(When([], new Retire(Id, null)), 404, "Deployment not found").Detail);

    // ReportUsage

    [Fact]
    public void a_usage_report_is_recorded_with_what_changed_and_re_assessed()
    {
        var events = Then(When(Registered(), new DeploymentCommand.ReportUsage(Id, new UsageChange(Regions: ["us-east-1"])), As(Architect)),
            typeof(DeploymentUsageReported), typeof(DeploymentAssessed));
        Assert.Equal(["regions"], ((DeploymentUsageReported)events[0]).Changed);
        Assert.Equal(Verdict.NonCompliant, ((DeploymentAssessed)events[1]).Verdict);
    }

    [Fact]
    public void an_approved_deployment_whose_usage_breaks_a_rule_goes_to_review() =>
        Assert.Equal("usage-reported", ((DeploymentReviewRequired)Then(When(Approved(), new DeploymentCommand.ReportUsage(Id, new UsageChange(Regions: ["us-east-1"]))),
            typeof(DeploymentUsageReported), typeof(DeploymentAssessed), typeof(DeploymentReviewRequired))[2]).Trigger);

    [Fact]
    public void a_usage_report_that_changes_no_finding_records_only_the_report() =>
        Then(When(Registered(), new DeploymentCommand.ReportUsage(Id, new UsageChange(Purpose: Purpose.Production))), typeof(DeploymentUsageReported));

    [Fact]
    public void a_retired_deployment_takes_no_usage_report() =>
        Refused(When([.. Registered(), .. When(Registered(), new Retire(Id, null)).Events], new DeploymentCommand.ReportUsage(Id, new UsageChange(MonthlyActiveUsers: 1))),
            409, "Deployment retired");

    // Decide

    [Fact]
    public void legal_approves_a_deployment_without_blocking_findings() =>
        Assert.Equal(Legal, ((DeploymentApproved)Then(When(Registered(), new DeploymentCommand.Decide(Id, true, "Fine.", [])), typeof(DeploymentApproved))[0]).By);

    [Fact]
    public void legal_rejects_whatever_the_findings() =>
        Then(When(Registered("us-east-1"), new DeploymentCommand.Decide(Id, false, "No.", [])), typeof(DeploymentRejected));

    [Fact]
    public void approving_with_an_unwaived_blocking_finding_is_refused() =>
        Assert.Contains("residency-violation", Refused(When(Registered("us-east-1"), new DeploymentCommand.Decide(Id, true, "Ship it.", [])),
            422, "Unwaived blocking findings").Detail);

    [Fact]
    public void a_waiver_for_the_blocking_finding_makes_the_approval_pass_and_is_recorded_on_the_assessment()
    {
        var waiver = new WaiverGrant(FindingCodes.ResidencyViolation, Today.AddDays(30), "SCCs signed.");
        var events = Then(When(Registered("us-east-1"), new DeploymentCommand.Decide(Id, true, "SCCs.", [waiver])),
            typeof(DeploymentAssessed), typeof(DeploymentApproved));
        Assert.Equal(Verdict.Conditional, ((DeploymentAssessed)events[0]).Verdict);
        Assert.Equal("Dana Legal", ((DeploymentApproved)events[1]).Waivers.Single().ApprovedBy);
    }

    [Fact]
    public void a_waiver_for_a_finding_that_does_not_exist_is_refused() =>
        Refused(When(Registered(), new DeploymentCommand.Decide(Id, true, "x", [new WaiverGrant("origin-denied", Today.AddDays(5), "?")])),
            422, "Waiver for a finding that does not exist");

    [Fact]
    public void a_deployment_already_decided_is_not_decided_again() =>
        Refused(When(Approved(), new DeploymentCommand.Decide(Id, false, "No.", [])), 409, "Already decided");

    // RecordAttestation

    private static readonly FootprintEnvironment H200 = new() { Backend = "cuda", Device = "NVIDIA H200", Driver = "580.95", CudaVersion = "13.0", LlamaCppBuild = "v0.5.0" };

    private DeploymentCommand Attestation(string subjectSha256, DateTimeOffset scannedAt, Guid? deployment = null, bool revoked = false, string? license = "llama3.1",
        ModelFootprint? predicate = null, double tg = 140, FootprintEnvironment? environment = null)
    {
        var footprint = predicate ?? new ModelFootprint
        {
            DeploymentId = deployment ?? Id, ScannedAt = scannedAt,
            Artifact = new FootprintArtifact { Name = "m.gguf", SizeBytes = 10, Sha256 = subjectSha256 },
            Metadata = new FootprintMetadata { Architecture = "llama", License = license },
            Throughput = [new ThroughputTest { Test = "tg128", NGen = 128, Repetitions = 5, MeanTokensPerSecond = tg }],
            Footprint = new FootprintMeasurement { DeviceBytes = new DeviceBytes { Total = 6L << 30 } },
            Environment = environment ?? H200,
        };
        var envelope = Dsse.Sign(Dsse.StatementFor("m.gguf", subjectSha256, footprint), _key);
        var key = new TrustedKey(Dsse.KeyIdOf(_key.ExportSubjectPublicKeyInfo()), _key.ExportSubjectPublicKeyInfo(), revoked);
        return new RecordAttestation(Id, envelope, [new ScannerKey(Guid.Empty, "gpu-01", key)]);
    }

    [Fact]
    public void a_valid_attestation_is_recorded_and_satisfies_a_required_attestation()
    {
        var rules = new CompanyRules([], [], AttestationRequired: true);
        var given = Registered();
        var events = Then(When(given, Attestation(Sha, Now), As(Scanner, rules: rules)), typeof(DeploymentAttested), typeof(DeploymentAssessed));
        var finding = ((DeploymentAssessed)events[1]).Findings.Single(f => f.Code == FindingCodes.AttestationRequired);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal("gpu-01", ((DeploymentAttested)events[0]).ScannerName);
    }

    [Fact]
    public void what_the_attested_file_says_is_judged_a_file_under_another_license_blocks() =>
        Assert.Contains(((DeploymentAssessed)Then(When(Approved(), Attestation(Sha, Now, license: "apache-2.0"), As(Scanner)),
                typeof(DeploymentAttested), typeof(DeploymentAssessed), typeof(DeploymentReviewRequired))[1]).Findings,
            f => f.Code == FindingCodes.LicenseMismatch && f.Severity == Severity.Blocking);

    [Fact]
    public void a_retired_or_rejected_deployment_takes_no_attestation() =>
        Refused(When([.. Registered(), .. When(Registered(), new DeploymentCommand.Decide(Id, false, "No.", [])).Events], Attestation(Sha, Now), As(Scanner)),
            409, "Deployment not in service");

    [Fact]
    public void an_attestation_signed_by_no_registered_key_is_refused()
    {
        var command = (RecordAttestation)Attestation(Sha, Now);
        Refused(When(Registered(), command with { Keys = [] }, As(Scanner)), 422, "Signature not verified");
    }

    [Fact]
    public void an_attestation_signed_by_a_revoked_key_is_refused() =>
        Assert.Contains("revoked", Refused(When(Registered(), Attestation(Sha, Now, revoked: true), As(Scanner)), 422, "Signature not verified").Detail);

    [Fact]
    public void a_signed_payload_that_is_not_a_statement_is_refused()
    {
        var command = (RecordAttestation)Attestation(Sha, Now);
        var notAStatement = Dsse.Sign("""{"_type":"https://in-toto.io/Statement/v1"}"""u8.ToArray(), _key);
        Refused(When(Registered(), command with { Envelope = notAStatement }, As(Scanner)), 422, "Not an in-toto statement");
    }

    [Fact]
    public void a_statement_about_another_artifact_is_refused() =>
        Refused(When(Registered(), Attestation(new string('b', 64), Now), As(Scanner)), 422, "Artifact digest mismatch");

    [Fact]
    public void a_statement_whose_subject_is_not_its_predicates_artifact_is_refused() =>
        Refused(When(Registered(), Attestation(Sha, Now, predicate: new ModelFootprint
        {
            DeploymentId = Id, ScannedAt = Now, Artifact = new FootprintArtifact { Sha256 = new string('c', 64) },
        }), As(Scanner)), 422, "Artifact digest mismatch");

    [Fact]
    public void a_statement_naming_another_deployment_is_refused() =>
        Refused(When(Registered(), Attestation(Sha, Now, deployment: Guid.NewGuid()), As(Scanner)), 422, "Wrong deployment");

    [Fact]
    public void the_same_envelope_twice_is_a_replay()
    {
        var command = Attestation(Sha, Now);
        Refused(When([.. Registered(), .. When(Registered(), command, As(Scanner)).Events], command, As(Scanner)), 409, "Replayed attestation");
    }

    [Fact]
    public void an_attestation_older_than_the_one_on_record_is_refused() =>
        Refused(When([.. Registered(), .. When(Registered(), Attestation(Sha, Now), As(Scanner)).Events], Attestation(Sha, Now.AddMinutes(-1)), As(Scanner)),
            409, "Older than the attestation on record");

    [Fact]
    public void an_attestation_made_in_the_future_is_refused() =>
        Refused(When(Registered(), Attestation(Sha, Now + DeploymentDecider.ClockSkew + TimeSpan.FromSeconds(1)), As(Scanner)), 422, "Scanned in the future");

    // RecordScanFailure

    [Fact]
    public void a_failed_scan_adds_a_blocking_finding_and_sends_an_approval_to_review()
    {
        var events = Then(When(Approved(), new RecordScanFailure(Id, null, FindingCodes.ArtifactMismatch, "Another file.", new Dictionary<string, string>()), As(Scanner)),
            typeof(ScanFailed), typeof(DeploymentAssessed), typeof(DeploymentReviewRequired));
        Assert.Contains(((DeploymentAssessed)events[1]).Findings, f => f.Code == FindingCodes.ArtifactMismatch && f.Severity == Severity.Blocking);
    }

    [Fact]
    public void a_rejected_deployment_takes_no_scan_failure() =>
        Refused(When([.. Registered(), .. When(Registered(), new DeploymentCommand.Decide(Id, false, "No.", [])).Events],
            new RecordScanFailure(Id, null, FindingCodes.ArtifactUnreadable, "?", new Dictionary<string, string>()), As(Scanner)), 409, "Deployment not in service");

    // Retire

    [Fact]
    public void a_deployment_is_retired_with_its_reason() =>
        Assert.Equal("Replaced.", ((DeploymentRetired)Then(When(Approved(), new Retire(Id, "Replaced.")), typeof(DeploymentRetired))[0]).Reason);

    [Fact]
    public void a_retired_deployment_is_not_retired_again() =>
        Refused(When([.. Registered(), .. When(Registered(), new Retire(Id, null)).Events], new Retire(Id, null)), 409, "Deployment retired");

    // WithdrawAttestation

    [Fact]
    public void revoking_the_key_that_signed_the_attestation_withdraws_it_and_re_assesses()
    {
        var rules = new CompanyRules([], [], AttestationRequired: true);
        var attestation = Attestation(Sha, Now);
        var given = Registered().Concat(When(Registered(), attestation, As(Scanner, rules: rules)).Events).ToList();
        var keyId = ((RecordAttestation)attestation).Keys[0].Key.KeyId;
        var events = Then(When(given, new WithdrawAttestation(Id, keyId, "Key leaked."), As(Actor.System, rules: rules)),
            typeof(AttestationWithdrawn), typeof(DeploymentAssessed));
        Assert.Equal(Severity.Obligation, ((DeploymentAssessed)events[1]).Findings.Single(f => f.Code == FindingCodes.AttestationRequired).Severity);
    }

    [Fact]
    public void revoking_another_key_changes_nothing() =>
        Then(When([.. Registered(), .. When(Registered(), Attestation(Sha, Now), As(Scanner)).Events], new WithdrawAttestation(Id, "sha256:other", "x")));

    // LapseWaivers

    private static IReadOnlyList<object> ApprovedWithWaiver(DateOnly expires)
    {
        var registered = Registered("us-east-1");
        return [.. registered, .. When(registered, new DeploymentCommand.Decide(Id, true, "SCCs.", [new WaiverGrant(FindingCodes.ResidencyViolation, expires, "SCCs")])).Events];
    }

    [Fact]
    public void on_its_expiry_date_a_waiver_lapses_and_legal_must_review_again()
    {
        var events = Then(When(ApprovedWithWaiver(Today.AddDays(30)), new LapseWaivers(Id), As(Actor.System, Now.AddDays(30))),
            typeof(WaiverLapsed), typeof(DeploymentReviewRequired), typeof(DeploymentAssessed));
        Assert.Equal(("waiver-lapsed", Actor.System), (((DeploymentReviewRequired)events[1]).Trigger, ((DeploymentReviewRequired)events[1]).By));
        Assert.Equal(Verdict.NonCompliant, ((DeploymentAssessed)events[2]).Verdict);
    }

    [Fact]
    public void the_day_before_expiry_nothing_lapses() =>
        Then(When(ApprovedWithWaiver(Today.AddDays(30)), new LapseWaivers(Id), As(Actor.System, Now.AddDays(29))));

    // Reassess

    [Fact]
    public void a_change_the_assessment_depends_on_records_a_new_assessment_and_sends_an_approval_to_review()
    {
        var denyUs = new CompanyRules([], ["US"], false);
        var events = Then(When(Approved(), new Reassess(Id, "company-rules-adopted"), As(Actor.System, rules: denyUs)),
            typeof(DeploymentAssessed), typeof(DeploymentReviewRequired));
        Assert.Equal("company-rules-adopted", ((DeploymentAssessed)events[0]).Trigger);
    }

    [Fact]
    public void a_re_assessment_that_finds_the_same_records_nothing() =>
        Then(When(Approved(), new Reassess(Id, "company-profile-set")));

    [Fact]
    public void a_retired_deployment_is_not_re_assessed() =>
        Then(When([.. Registered(), .. When(Registered(), new Retire(Id, null)).Events], new Reassess(Id, "catalog-changed"), As(Actor.System, rules: new CompanyRules([], ["US"], false))));

    // LeaseForScan

    private static LeaseForScan Lease(DateTimeOffset? at = null, string? keyId = null, string? environment = null) =>
        new(Id, Guid.NewGuid(), (at ?? Now).AddMinutes(30), (at ?? Now).AddHours(-24), (at ?? Now).AddDays(-90), keyId, environment);

    [Fact]
    public void an_approved_deployment_without_attestation_is_leased() =>
        Then(When(Approved(), Lease(), As(Scanner)), typeof(ScanLeased));

    [Fact]
    public void a_deployment_pending_review_is_not_leased() =>
        Assert.Contains("pending_review", Refused(When(Registered(), Lease(), As(Scanner)), 409, "Not available for scanning").Detail);

    [Fact]
    public void a_deployment_leased_to_another_scanner_is_not_leased_until_the_lease_lapses()
    {
        var given = Approved().Concat(When(Approved(), Lease(), As(Scanner)).Events).ToList();
        Refused(When(given, Lease(), As(Scanner)), 409, "Not available for scanning");
        Then(When(given, Lease(Now.AddMinutes(31)), As(Scanner, Now.AddMinutes(31))), typeof(ScanLeased));
    }

    [Fact]
    public void a_deployment_with_a_valid_attestation_is_not_leased() =>
        Assert.Contains("valid attestation", Refused(When([.. Approved(), .. When(Approved(), Attestation(Sha, Now), As(Scanner)).Events], Lease(), As(Scanner)),
            409, "Not available for scanning").Detail);

    private string KeyId => Governance.Attestations.Dsse.KeyIdOf(_key.ExportSubjectPublicKeyInfo());

    [Fact]
    public void an_attestation_older_than_the_maximum_age_is_leased_for_a_new_scan()
    {
        var attested = Approved().Concat(When(Approved(), Attestation(Sha, Now), As(Scanner)).Events).ToList();
        var later = Now.AddDays(91);
        Then(When(attested, Lease(later), As(Scanner, later)), typeof(ScanLeased));
        Refused(When(attested, Lease(Now.AddDays(89)), As(Scanner, Now.AddDays(89))), 409, "Not available for scanning");
    }

    [Fact]
    public void the_scanner_that_attested_reporting_another_environment_leases_the_deployment_again()
    {
        var attested = Approved().Concat(When(Approved(), Attestation(Sha, Now), As(Scanner)).Events).ToList();
        var newDriver = DeploymentState.EnvironmentKey(H200 with { Driver = "590.10" });

        var leased = (ScanLeased)Then(When(attested, Lease(keyId: KeyId, environment: newDriver), As(Scanner)), typeof(ScanLeased))[0];
        Assert.Equal((KeyId, newDriver), (leased.KeyId, leased.Environment));
        Refused(When(attested, Lease(keyId: KeyId, environment: DeploymentState.EnvironmentKey(H200)), As(Scanner)), 409, "Not available for scanning");
        Refused(When(attested, Lease(keyId: "sha256:another-scanner", environment: newDriver), As(Scanner)), 409, "Not available for scanning");
    }

    [Fact]
    public void a_second_attestation_slower_beyond_the_tolerance_is_drift_with_both_figures()
    {
        var first = Approved().Concat(When(Approved(), Attestation(Sha, Now), As(Scanner)).Events).ToList();

        var events = Then(When(first, Attestation(Sha, Now.AddMinutes(1), tg: 120, environment: H200 with { Driver = "590.10" }), As(Scanner, Now.AddMinutes(1))),
            typeof(DeploymentAttested), typeof(DeploymentAssessed), typeof(DeploymentReviewRequired));
        var drift = ((DeploymentAssessed)events[1]).Findings.Single(f => f.Code == FindingCodes.AttestationDrift);
        Assert.Equal(Severity.Obligation, drift.Severity);
        Assert.Equal(("140", "120"), (drift.Facts["tg128.previous"], drift.Facts["tg128.current"]));
        Assert.Contains("590.10", drift.Facts["environment"]);
    }

    [Fact]
    public void a_second_attestation_within_the_tolerance_is_no_drift() =>
        Assert.DoesNotContain(((DeploymentAssessed?)When(Approved().Concat(When(Approved(), Attestation(Sha, Now), As(Scanner)).Events), Attestation(Sha, Now.AddMinutes(1), tg: 130),
                As(Scanner, Now.AddMinutes(1))).Events.OfType<DeploymentAssessed>().SingleOrDefault())?.Findings ?? [],
            f => f.Code == FindingCodes.AttestationDrift);

    [Fact]
    public void a_deployment_whose_scan_failed_is_leased_again_only_after_the_pause()
    {
        var failed = Approved().Concat(When(Approved(), new RecordScanFailure(Id, null, FindingCodes.ArtifactMismatch, "?", new Dictionary<string, string>()), As(Scanner)).Events).ToList();
        var waiver = new WaiverGrant(FindingCodes.ArtifactMismatch, Today.AddDays(7), "File being replaced.");
        var reapproved = failed.Concat(When(failed, new DeploymentCommand.Decide(Id, true, "Re-upload.", [waiver])).Events).ToList();

        Assert.Contains("scan failed", Refused(When(reapproved, Lease(), As(Scanner)), 409, "Not available for scanning").Detail);
        Then(When(reapproved, Lease(Now.AddHours(25)), As(Scanner, Now.AddHours(25))), typeof(ScanLeased));
    }
}
