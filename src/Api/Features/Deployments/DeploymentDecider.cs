using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Governance.Api.Events;
using Governance.Api.Features.Assessing;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

/// <summary>Everything a decision may use besides the state: the bound evaluator, who acts, and when.</summary>
public sealed record DecisionContext(AssessmentBasis Basis, Actor By, DateTimeOffset At)
{
    public DateOnly Today => DateOnly.FromDateTime(At.UtcDateTime);
}

/// <summary>A command about one deployment (its stream id): what someone or something asks of it.</summary>
public abstract record DeploymentCommand(Guid DeploymentId)
{
    /// <summary>An architect registers a deployment; it is assessed at once.</summary>
    public sealed record Register(Guid DeploymentId, string Name, ModelFacts Model, UsageFacts Usage) : DeploymentCommand(DeploymentId);

    /// <summary>The architect reports how the product now uses the model; only the fields given change.</summary>
    public sealed record ReportUsage(Guid DeploymentId, UsageChange Change) : DeploymentCommand(DeploymentId);

    /// <summary>Legal approves (with waivers for findings it accepts until a date) or rejects, saying why.</summary>
    public sealed record Decide(Guid DeploymentId, bool Approve, string Justification, IReadOnlyList<WaiverGrant> Waivers) : DeploymentCommand(DeploymentId);

    /// <summary>A scanner posts a signed attestation; <see cref="Keys"/> are the registered keys its signatures name.</summary>
    public sealed record RecordAttestation(Guid DeploymentId, Dsse.Envelope Envelope, IReadOnlyList<ScannerKey> Keys) : DeploymentCommand(DeploymentId);

    /// <summary>A scanner reports that it could not attest the artifact.</summary>
    public sealed record RecordScanFailure(Guid DeploymentId, Guid? LeaseId, string Code, string Message, IReadOnlyDictionary<string, string> Facts)
        : DeploymentCommand(DeploymentId);

    public sealed record Retire(Guid DeploymentId, string? Reason) : DeploymentCommand(DeploymentId);

    /// <summary>The key that signed the attestation on record was revoked: the attestation stops counting.</summary>
    public sealed record WithdrawAttestation(Guid DeploymentId, string KeyId, string Reason) : DeploymentCommand(DeploymentId);

    /// <summary>The calendar moved on: waivers whose expiry date has come lapse.</summary>
    public sealed record LapseWaivers(Guid DeploymentId) : DeploymentCommand(DeploymentId);

    /// <summary>Something the assessment depends on changed (<see cref="Trigger"/> says what): assess again.</summary>
    public sealed record Reassess(Guid DeploymentId, string Trigger) : DeploymentCommand(DeploymentId);

    /// <summary>
    /// A scanner asks for the deployment, to scan it until <see cref="ExpiresAt"/>. It says which key it signs with and
    /// the environment it measures on: an attestation it made on another environment, or one made before
    /// <see cref="StaleBefore"/>, is due for a new scan.
    /// </summary>
    public sealed record LeaseForScan(
        Guid DeploymentId, Guid LeaseId, DateTimeOffset ExpiresAt, DateTimeOffset RetryFailedAfter, DateTimeOffset StaleBefore,
        string? KeyId = null, string? Environment = null) : DeploymentCommand(DeploymentId);
}

public sealed record WaiverGrant(string FindingCode, DateOnly ExpiresOn, string Reason);

/// <summary>A registered scanner key, as the attestation decision needs it.</summary>
public sealed record ScannerKey(Guid ScannerId, string ScannerName, TrustedKey Key);

/// <summary>The deployment's rules, all of them: given the state and a command, the events that follow or why none may.</summary>
public static class DeploymentDecider
{
    /// <summary>How far a scanner's clock may run ahead of ours before its scannedAt is not believed.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static Decision Decide(DeploymentCommand command, DeploymentState? state, DecisionContext context) => (command, state) switch
    {
        (DeploymentCommand.Register c, null) => Registration(c, context),
        (DeploymentCommand.Register c, _) => Decision.Refuse(409, "Deployment exists", $"A deployment with id {c.DeploymentId} is already registered."),
        (_, null) => new Decision([], NotFound(command.DeploymentId)),
        (DeploymentCommand.ReportUsage c, var s) => UsageReport(c, s, context),
        (DeploymentCommand.Decide c, var s) => LegalDecision(c, s, context),
        (DeploymentCommand.RecordAttestation c, var s) => Attestation(c, s, context),
        (DeploymentCommand.RecordScanFailure c, var s) => ScanFailure(c, s, context),
        (DeploymentCommand.Retire c, var s) => s.Status == DeploymentStatus.Retired
            ? Retired(s, "retired again")
            : Decision.Append(new DeploymentRetired(s.Id, c.Reason, context.By, context.At)),
        (DeploymentCommand.WithdrawAttestation c, var s) => s is { HasValidAttestation: true, Attestation: { } a } && a.KeyId == c.KeyId
            ? Followed(s, context, "attestation-withdrawn", new AttestationWithdrawn(s.Id, a.EnvelopeSha256, c.Reason, context.By, context.At))
            : Decision.Nothing,
        (DeploymentCommand.LapseWaivers, var s) => Lapse(s, context),
        (DeploymentCommand.Reassess c, var s) => Followed(s, context, c.Trigger),
        (DeploymentCommand.LeaseForScan c, var s) => Lease(c, s, context),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No rule decides this command."),
    };

    public static Refusal NotFound(Guid id) => new(404, "Deployment not found", $"No deployment has id {id}.");

    private static Decision Registration(DeploymentCommand.Register c, DecisionContext context)
    {
        var registered = new DeploymentRegistered(c.DeploymentId, c.Name, StoredModel.From(c.Model), StoredUsage.From(c.Usage), context.By, context.At);
        var state = new DeploymentState().Evolve(registered);
        return Decision.Append(registered, Assessed(state, context, "registered", state.Waivers));
    }

    private static Decision UsageReport(DeploymentCommand.ReportUsage c, DeploymentState s, DecisionContext context)
    {
        if (s.Status == DeploymentStatus.Retired) return Retired(s, "changed");
        var usage = c.Change.ApplyTo(s.Usage);
        return Followed(s, context, "usage-reported",
            new DeploymentUsageReported(s.Id, StoredUsage.From(usage), UsageChange.Differences(s.Usage, usage), context.By, context.At));
    }

    private static Decision LegalDecision(DeploymentCommand.Decide c, DeploymentState s, DecisionContext context)
    {
        if (s.Status is not (DeploymentStatus.PendingReview or DeploymentStatus.ReviewRequired))
            return Decision.Refuse(409, "Already decided",
                $"The deployment is {Naming.Snake(s.Status)}; only pending_review or review_required deployments can be decided.");
        if (!c.Approve)
            return Decision.Append(new DeploymentRejected(s.Id, c.Justification, context.By, context.At));

        var waivers = c.Waivers.Select(w => new Waiver(w.FindingCode, w.ExpiresOn, w.Reason, context.By.Name)).ToList();
        var withWaivers = Assessed(s, context, "decision", waivers);
        var findings = withWaivers.Findings.ToDomain();
        var waivable = findings.Where(f => f.Severity != Severity.Info).Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        var stray = waivers.Select(w => w.FindingCode).Where(code => !waivable.Contains(code)).Distinct().ToList();
        if (stray.Count > 0)
            return Decision.Refuse(422, "Waiver for a finding that does not exist",
                $"No open finding has code {string.Join(", ", stray)}; waivers can only cover findings of the current assessment.");
        var open = findings.Where(f => f.IsOpenBlocking()).Select(f => f.Code).Distinct().ToList();
        if (open.Count > 0)
            return Decision.Refuse(422, "Unwaived blocking findings",
                $"The deployment can't be approved while blocking finding(s) {string.Join(", ", open)} stand without a waiver.");

        var approved = new DeploymentApproved(s.Id, c.Justification, StoredShapes.From(waivers), context.By, context.At);
        return ChangesFindings(s, withWaivers) || IsOutdated(s, context.Basis) ? Decision.Append(withWaivers, approved) : Decision.Append(approved);
    }

    private static Decision Attestation(DeploymentCommand.RecordAttestation c, DeploymentState s, DecisionContext context)
    {
        if (s.Status is DeploymentStatus.Retired or DeploymentStatus.Rejected)
            return Decision.Refuse(409, "Deployment not in service", $"The deployment is {Naming.Snake(s.Status)}; it takes no attestations.");

        var verdict = EnvelopeVerification.Verify(c.Envelope, c.Keys.Select(k => k.Key).ToList());
        if (verdict.Statement is not { } statement)
            return Decision.Refuse(422, verdict.Rejection switch
            {
                EnvelopeRejection.NotAStatement => "Not an in-toto statement",
                EnvelopeRejection.SubjectMismatch => "Artifact digest mismatch",
                _ => "Signature not verified",
            }, verdict.Detail);
        var predicate = statement.Predicate;
        if (!string.Equals(statement.SubjectSha256, s.Model.ArtifactSha256, StringComparison.OrdinalIgnoreCase))
            return Decision.Refuse(422, "Artifact digest mismatch",
                $"The statement is about sha256:{statement.SubjectSha256 ?? "(none)"}, but the deployment's registered artifact is sha256:{s.Model.ArtifactSha256}.");
        if (predicate.DeploymentId != s.Id)
            return Decision.Refuse(422, "Wrong deployment", $"The statement names deployment {predicate.DeploymentId}, not {s.Id}.");

        var envelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(verdict.Payload));
        if (s.AttestationDigests.Contains(envelopeSha256))
            return Decision.Refuse(409, "Replayed attestation", $"This attestation (payload sha256:{envelopeSha256}) was already recorded.");
        if (s.Attestation is { } last && predicate.ScannedAt <= last.ScannedAt)
            return Decision.Refuse(409, "Older than the attestation on record",
                $"The statement was made at {predicate.ScannedAt:O}; the one on record at {last.ScannedAt:O}.");
        if (predicate.ScannedAt > context.At + ClockSkew)
            return Decision.Refuse(422, "Scanned in the future", $"scannedAt {predicate.ScannedAt:O} is later than now ({context.At:O}).");

        var signer = c.Keys.First(k => k.Key.KeyId == verdict.SignedBy!.KeyId);
        return Followed(s, context, "attested", new DeploymentAttested(s.Id, envelopeSha256, signer.Key.KeyId, signer.ScannerId, signer.ScannerName,
            JsonSerializer.Serialize(c.Envelope), predicate, context.By, context.At));
    }

    private static Decision ScanFailure(DeploymentCommand.RecordScanFailure c, DeploymentState s, DecisionContext context) =>
        s.Status is DeploymentStatus.Retired or DeploymentStatus.Rejected
            ? Decision.Refuse(409, "Deployment not in service", $"The deployment is {Naming.Snake(s.Status)}; it takes no scan results.")
            : Followed(s, context, "scan-failed", new ScanFailed(s.Id, c.LeaseId, c.Code, c.Message, c.Facts, context.By, context.At));

    private static Decision Lapse(DeploymentState s, DecisionContext context)
    {
        var lapsed = s.Waivers.Where(w => w.ExpiresOn <= context.Today)
            .Select(w => new WaiverLapsed(s.Id, w.FindingCode, w.ExpiresOn, w.Reason, context.By, context.At)).ToList();
        if (s.Status == DeploymentStatus.Retired || lapsed.Count == 0) return Decision.Nothing;
        var first = new List<object>(lapsed);
        // The approval rested on the waiver: once it is gone, legal must look again whatever the findings say.
        if (s.Status == DeploymentStatus.Approved)
            first.Add(new DeploymentReviewRequired(s.Id,
                $"Waiver(s) lapsed: {string.Join(", ", lapsed.Select(l => $"{l.FindingCode} (expired {l.ExpiredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"))}.",
                lapsed.Select(l => l.FindingCode).Distinct().ToList(), context.By, context.At, "waiver-lapsed"));
        return Followed(s, context, "waiver-lapsed", [.. first]);
    }

    private static Decision Lease(DeploymentCommand.LeaseForScan c, DeploymentState s, DecisionContext context)
    {
        var why = s.Status != DeploymentStatus.Approved ? $"it is {Naming.Snake(s.Status)}, not approved"
            : s.HasValidAttestation && !NeedsRescan(s, c) ? "it has a valid attestation, recent and of this environment"
            : s.LeaseExpiresAt > context.At ? $"another scanner holds it until {s.LeaseExpiresAt:O}"
            : s.ScanFailedAt > c.RetryFailedAfter ? $"a scan failed at {s.ScanFailedAt:O} and is retried only later"
            : null;
        return why is null
            ? Decision.Append(new ScanLeased(s.Id, c.LeaseId, c.ExpiresAt, context.By, context.At, c.KeyId, c.Environment))
            : Decision.Refuse(409, "Not available for scanning", $"The deployment can't be leased: {why}.");
    }

    /// <summary>An attestation that is old, or that the leasing scanner made on an environment it no longer has.</summary>
    public static bool NeedsRescan(DeploymentState s, DeploymentCommand.LeaseForScan c) =>
        s.Attestation is { } a && (a.ScannedAt < c.StaleBefore || (c.KeyId == a.KeyId && c.Environment is not null && c.Environment != a.Environment));

    private static Decision Retired(DeploymentState s, string action) =>
        Decision.Refuse(409, "Deployment retired", $"The deployment was retired; it can't be {action}.");

    /// <summary>
    /// <paramref name="first"/>, then what a fresh assessment of the state they lead to implies: a new assessment when the
    /// findings differ from the last, and a review when an approved deployment now has an unwaived blocking finding or an
    /// obligation legal did not accept; when only the company or catalog version moved, a confirmation that the findings
    /// still hold, so every open deployment ends up assessed under the versions in force.
    /// </summary>
    private static Decision Followed(DeploymentState s, DecisionContext context, string trigger, params object[] first)
    {
        var after = first.Aggregate(s, (state, e) => state.Evolve(e));
        var events = new List<object>(first);
        if (after.Status != DeploymentStatus.Retired)
        {
            var next = Assessed(after, context, trigger, after.Waivers);
            if (ChangesFindings(after, next))
            {
                events.Add(next);
                if (after.Status == DeploymentStatus.Approved && ReviewReason(after, next.Findings.ToDomain()) is { } review)
                    events.Add(new DeploymentReviewRequired(s.Id, review.Reason, review.Codes, context.By, context.At, trigger));
            }
            else if (IsOutdated(after, context.Basis))
                events.Add(new AssessmentConfirmed(s.Id, context.Basis.CatalogVersion, context.Basis.CompanyVersion, trigger, context.Today, context.By, context.At));
        }
        return events.Count == 0 ? Decision.Nothing : Decision.Append(events);
    }

    /// <summary>The last assessment was made against another catalog or an older company than the basis in force.</summary>
    public static bool IsOutdated(DeploymentState s, AssessmentBasis basis) =>
        s.Assessment is not { } a || a.CatalogVersion != basis.CatalogVersion || (a.CompanyVersion ?? -1) < basis.CompanyVersion;

    private static DeploymentAssessed Assessed(DeploymentState s, DecisionContext context, string trigger, IReadOnlyList<Waiver> waivers)
    {
        var a = context.Basis.Assess(s.Facts(), s.Evidence(context.Basis.Policies, context.Basis.DriftTolerance), waivers, context.Today);
        return new DeploymentAssessed(s.Id, a.Verdict, StoredShapes.From(a.Findings), context.Basis.CatalogVersion, trigger, context.Today,
            context.By, context.At, context.Basis.CompanyVersion);
    }

    private static bool ChangesFindings(DeploymentState s, DeploymentAssessed next) =>
        s.Assessment is not { } last || !SameFindings(last.Findings, next.Findings.ToDomain());

    private static (string Reason, IReadOnlyList<string> Codes)? ReviewReason(DeploymentState s, IReadOnlyList<Finding> findings)
    {
        var blocking = findings.Where(f => f.IsOpenBlocking()).Select(f => f.Code).Distinct().ToList();
        if (blocking.Count > 0)
            return ($"The deployment is no longer compliant: unwaived blocking finding(s) {string.Join(", ", blocking)}.", blocking);
        var unaccepted = DeploymentState.Basis(findings).Except(s.ApprovedBasis).ToList();
        if (unaccepted.Count > 0)
            return ($"New obligation(s) since approval: {string.Join(", ", unaccepted)}.", unaccepted.Select(k => k.Split('@')[0]).Distinct().ToList());
        return null;
    }

    public static bool SameFindings(IReadOnlyList<Finding> a, IReadOnlyList<Finding> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Key(p.First) == Key(p.Second));

    private static string Key(Finding f) => $"{f.Code}|{f.Severity}|{f.ClauseId}|{f.Message}|{f.Waiver?.ExpiresOn}";
}

/// <summary>A usage report: the fields given replace the declared ones, the rest stay.</summary>
public sealed record UsageChange(
    bool? Commercial = null, Hosting? Hosting = null, IReadOnlyList<string>? Regions = null, IReadOnlyList<string>? DataClasses = null,
    bool? DisplaysAttribution = null, bool? TrainsOtherModels = null, IReadOnlyList<string>? FieldsOfUse = null,
    long? MonthlyActiveUsers = null, Purpose? Purpose = null, decimal? MonthlyRevenueUsd = null, bool? OffersModelApi = null,
    IReadOnlyList<string>? UserCountries = null)
{
    public UsageFacts ApplyTo(UsageFacts before) => before with
    {
        Commercial = Commercial ?? before.Commercial,
        Hosting = Hosting ?? before.Hosting,
        Regions = Regions ?? before.Regions,
        DataClasses = DataClasses ?? before.DataClasses,
        DisplaysAttribution = DisplaysAttribution ?? before.DisplaysAttribution,
        TrainsOtherModels = TrainsOtherModels ?? before.TrainsOtherModels,
        FieldsOfUse = FieldsOfUse ?? before.FieldsOfUse,
        MonthlyActiveUsers = MonthlyActiveUsers ?? before.MonthlyActiveUsers,
        Purpose = Purpose ?? before.Purpose,
        MonthlyRevenueUsd = MonthlyRevenueUsd ?? before.MonthlyRevenueUsd,
        OffersModelApi = OffersModelApi ?? before.OffersModelApi,
        UserCountries = UserCountries ?? before.UserCountries,
    };

    /// <summary>The names (as the API spells them) of the fields whose values differ.</summary>
    public static IReadOnlyList<string> Differences(UsageFacts a, UsageFacts b)
    {
        var changed = new List<string>();
        if (a.Commercial != b.Commercial) changed.Add("commercial");
        if (a.Hosting != b.Hosting) changed.Add("hosting");
        if (!a.Regions.SequenceEqual(b.Regions)) changed.Add("regions");
        if (!a.DataClasses.SequenceEqual(b.DataClasses)) changed.Add("dataClasses");
        if (a.DisplaysAttribution != b.DisplaysAttribution) changed.Add("displaysAttribution");
        if (a.TrainsOtherModels != b.TrainsOtherModels) changed.Add("trainsOtherModels");
        if (!a.FieldsOfUse.SequenceEqual(b.FieldsOfUse)) changed.Add("fieldsOfUse");
        if (a.MonthlyActiveUsers != b.MonthlyActiveUsers) changed.Add("monthlyActiveUsers");
        if (a.Purpose != b.Purpose) changed.Add("purpose");
        if (a.MonthlyRevenueUsd != b.MonthlyRevenueUsd) changed.Add("monthlyRevenueUsd");
        if (a.OffersModelApi != b.OffersModelApi) changed.Add("offersModelApi");
        if (!(a.UserCountries ?? []).SequenceEqual(b.UserCountries ?? [])) changed.Add("userCountries");
        return changed;
    }
}
