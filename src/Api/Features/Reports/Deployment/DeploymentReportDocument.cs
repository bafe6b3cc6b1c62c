using System.Globalization;
using Governance.Api.Features.Deployments;
using Governance.Pdf;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Reports.Deployment;

/// <summary>
/// The compliance report of one deployment: what was decided and why, clause by clause, with the evidence and the
/// full history, written for a lawyer who reads it without help. One class fed one read model.
/// </summary>
internal sealed class DeploymentReportDocument(DeploymentReportModel m) : IReportDocument
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public PdfMetadata Metadata => new($"Compliance report: {m.Deployment.Name}", $"Governance, issued to {m.IssuedBy.Name}", m.IssuedAt)
    {
        Subject = $"Deployment {m.Deployment.Id} as of {Time(m.AsOf)}; report {m.ReportId}",
        Keywords = ["compliance", "license", m.Deployment.Model.LicenseId, Verdict, Status],
    };

    private string Verdict => m.Deployment.Assessment is { } a ? Words(a.Verdict) : "not assessed";
    private string Status => Words(m.Deployment.Status);

    public void Compose(PdfDocumentBuilder document)
    {
        document.Header(_ => [new TextRow($"Governance · Compliance report · {m.Deployment.Name}", "", $"as of {Time(m.AsOf)}"), new Rule()]);
        document.Footer(page => [new Rule(), new TextRow($"Report {m.ReportId}", "", $"Page {page.Number} of {page.Total}")]);
        document.Add(Cover());
        document.Add(LicenseTerms());
        document.Add(Findings());
        document.Add(CompanyFacts());
        document.Add(Attestation());
        document.Add(History());
        document.Add(Verification());
    }

    private IEnumerable<Block> Cover()
    {
        var d = m.Deployment;
        yield return new Paragraph("Compliance report", Typography.Title);
        yield return new Paragraph(d.Name, Typography.Heading2);
        yield return new KeyValues(
        [
            ("Deployment", d.Id.ToString()),
            ("Model", $"{d.Model.Name} (released {d.Model.ReleaseDate:yyyy-MM-dd}, origin {d.Model.Origin}, {Words(d.Model.Modality)})"),
            ("License", m.License is null ? $"{d.Model.LicenseId} (not in the catalog)" : $"{m.License.Name} ({m.License.Id}), {m.License.Licensor}"),
            ("Status", Status),
            ("Verdict", Verdict),
            ("Use", $"{(d.Usage.Commercial ? "commercial" : "non-commercial")}, {Words(d.Usage.Hosting)}, {Words(d.Usage.Purpose)}; regions {string.Join(", ", d.Usage.Regions)}; data {List(d.Usage.DataClasses)}; {(d.Usage.MonthlyActiveUsers is { } users ? $"{users:N0} monthly active users" : "monthly active users not declared")}"),
            ("As of", Time(m.AsOf)),
            ("Report id", m.ReportId.ToString()),
            ("Issued", $"{Time(m.IssuedAt)} to {m.IssuedBy.Name} ({m.IssuedBy.Role})"),
            ("Catalog version", d.Assessment?.CatalogVersion is { } v
                ? v == m.CurrentCatalogVersion ? v : $"{v} (the catalog now in force is {m.CurrentCatalogVersion})"
                : "not assessed"),
        ]);
        yield return new Heading("In plain words");
        yield return new Paragraph(PlainWords());
    }

    private string PlainWords()
    {
        var d = m.Deployment;
        var a = d.Assessment;
        var blocking = a?.Findings.Where(f => f.IsOpenBlocking()).Select(f => f.Code).Distinct().ToList() ?? [];
        var obligations = a?.Findings.Count(f => f.Severity == Severity.Obligation) ?? 0;
        var verdict = a?.Verdict switch
        {
            Policies.Evaluation.Verdict.Compliant => "The deployment complies with its license and the company's rules as declared; no obligation is open.",
            Policies.Evaluation.Verdict.Conditional => $"The deployment may be used provided the {obligations} obligation(s) listed below are met" +
                (a.Findings.Any(f => f.Waiver is not null) ? " and until the waivers listed below expire." : "."),
            Policies.Evaluation.Verdict.NonCompliant => $"The deployment must not be used as declared: {string.Join(", ", blocking)} stand(s) without a waiver.",
            _ => "The deployment has not been assessed.",
        };
        var status = d.Status switch
        {
            DeploymentStatus.PendingReview => "Legal has not decided yet.",
            DeploymentStatus.Approved => $"Legal approved it on {Time(d.Decision!.At)} ({d.Decision.By.Name}).",
            DeploymentStatus.Rejected => $"Legal rejected it on {Time(d.Decision!.At)} ({d.Decision.By.Name}).",
            DeploymentStatus.ReviewRequired => $"It was approved, but needs review: {d.ReviewReason}",
            _ => $"It was retired on {Time(d.RetiredAt ?? d.UpdatedAt)}.",
        };
        return $"{verdict} {status}";
    }

    private IEnumerable<Block> LicenseTerms()
    {
        yield return new Heading("The license terms that apply");
        if (m.License is null)
        {
            yield return new Paragraph($"The license '{m.Deployment.Model.LicenseId}' is not in the catalog: nobody has established what it permits, " +
                                       "so the deployment carries a blocking unknown-license finding.");
            yield break;
        }
        yield return new Paragraph($"{m.License.Name}, granted by {m.License.Licensor} ({m.License.Country}); governing law: " +
                                   $"{m.License.GoverningLaw ?? "not stated"}. Source: {m.License.Source}. Catalog confidence: {Words(m.License.Confidence)}.");
        var findings = m.Deployment.Assessment?.Findings ?? [];
        foreach (var clause in m.License.Clauses)
        {
            yield return new Heading($"{clause.Title}", 3);
            yield return new Paragraph([new Span(clause.Id, Typography.Strong), new Span($" · source: {clause.Source ?? "the license text"} · confidence: {Words(clause.Confidence)}", Typography.Small)]);
            yield return new Paragraph(clause.Summary);
            var here = findings.Where(f => f.ClauseId == clause.Id).ToList();
            yield return new Paragraph(here.Count == 0
                ? "How it is met: not triggered by the declared use."
                : "How it is met: " + string.Join(" ", here.Select(f => $"[{Words(f.Severity)}] {f.Message}{(f.Waiver is { } w ? $" Waived until {w.ExpiresOn:yyyy-MM-dd}." : "")}")),
                Typography.Body);
        }
    }

    private IEnumerable<Block> Findings()
    {
        var a = m.Deployment.Assessment;
        yield return new Heading("Findings");
        if (a is null)
        {
            yield return new Paragraph("No assessment exists at this instant.");
            yield break;
        }
        yield return new Paragraph($"Assessed on {a.AssessedOn:yyyy-MM-dd} ({a.Trigger}) against catalog {a.CatalogVersion}: {Verdict}.");
        // Identifiers get columns wide enough to stay on one line: they are what readers search for.
        yield return new Table(
            [TableColumn.Constant("Severity", 60), TableColumn.Constant("Code", 150), TableColumn.Relative("Clause or rule", 1)],
            a.Findings.Select(f => (IReadOnlyList<string>)[Words(f.Severity) + (f.Waiver is null ? "" : " (waived)"), f.Code, f.ClauseId]).ToList());
        foreach (var f in a.Findings)
        {
            yield return new Heading($"{f.Code} · {f.ClauseId}", 3);
            yield return new Paragraph([new Span($"[{Words(f.Severity)}] ", Typography.Strong), new Span(f.Message)]);
            if (f.Facts.Count > 0)
                yield return new Paragraph("Facts used: " + string.Join("; ", f.Facts.Select(kv => $"{kv.Key}: {kv.Value}")), Typography.Small);
            if (f.Waiver is { } w)
                yield return new Paragraph($"Waived until {w.ExpiresOn:yyyy-MM-dd} by {w.ApprovedBy}: {w.Reason}", Typography.Small);
        }

        var waivers = m.Deployment.Waivers;
        yield return new Heading("Waivers", 2);
        yield return waivers.Count == 0
            ? new Paragraph("No waiver is in force.")
            : new Table(
                [TableColumn.Constant("Finding", 150), TableColumn.Constant("Expires on", 64), TableColumn.Relative("Approved by", 1), TableColumn.Relative("Justification", 2.5f)],
                waivers.Select(w => (IReadOnlyList<string>)[w.FindingCode, w.ExpiresOn.ToString("yyyy-MM-dd", Inv), w.ApprovedBy, w.Reason]).ToList());
    }

    private IEnumerable<Block> CompanyFacts()
    {
        var c = m.Company;
        yield return new Heading("Company facts used");
        yield return new KeyValues(
        [
            ("Company", c.Name ?? "not set"),
            ("Domicile", c.Domicile ?? "not set"),
            ("Rules in force", m.DefaultRules ? "Governance defaults (policies/company-rules.yaml); legal has not adopted rules" : $"adopted {Time(c.RulesAdoptedAt!.Value)} by {c.RulesAdoptedBy!.Name}"),
            ("Data residency", m.RulesInForce.Residency.Count == 0 ? "none" : string.Join("; ", m.RulesInForce.Residency.Select(r => $"{r.DataClass} data only in {string.Join(", ", r.AllowedRegions)}"))),
            ("Denied model origins", List(m.RulesInForce.DeniedOrigins)),
            ("Attestation required", m.RulesInForce.AttestationRequired ? "yes" : "no"),
        ]);
        var months = RelevantMonths();
        yield return new Heading("Reported usage", 2);
        yield return months.Count == 0
            ? new Paragraph("No company usage was reported by this instant.")
            : new Table(
                [TableColumn.Relative("Month", 1), TableColumn.Relative("Monthly active users", 2, TextAlign.Right), TableColumn.Relative("Monthly revenue (USD)", 2, TextAlign.Right), TableColumn.Relative("Why it matters", 3)],
                months.Select(u => (IReadOnlyList<string>)
                [
                    u.Figures.Month.ToString(), u.Figures.MonthlyActiveUsers.ToString("N0", Inv), u.Figures.MonthlyRevenueUsd.ToString("N0", Inv), u.Why,
                ]).ToList());
    }

    private List<(MonthlyFigures Figures, string Why)> RelevantMonths()
    {
        var snapshot = YearMonth.Of(m.Deployment.Model.ReleaseDate).Previous();
        var latest = m.Company.Usage.Count == 0 ? (YearMonth?)null : m.Company.Usage[^1].Month;
        return m.Company.Usage
            .Where(u => u.Month == snapshot || u.Month == latest || u.Month >= YearMonth.Of(DateOnly.FromDateTime(m.AsOf.UtcDateTime)).Next(-12))
            .Select(u => (u, u.Month == snapshot ? "month before the model's release (snapshot thresholds)" : u.Month == latest ? "latest reported (ongoing thresholds)" : "last twelve months"))
            .ToList();
    }

    private IEnumerable<Block> Attestation()
    {
        yield return new Heading("Attestation of the artifact");
        yield return new Paragraph("Registered artifact digest (SHA-256):");
        yield return new Monospace(m.Deployment.Model.ArtifactSha256);
        if (m.Deployment.ScanFailure is { } failure)
            yield return new Paragraph([new Span($"Last scan failed ({failure.Code}, {Time(failure.At)}, {failure.By.Name}): ", Typography.Strong), new Span(failure.Message)]);
        if (m.Deployment.Attestation is not { } att)
        {
            yield return new Paragraph($"No attestation of this artifact exists as of {Time(m.AsOf)}.");
            yield break;
        }
        var p = att.Predicate;
        var signature = att.Withdrawn
            ? $"withdrawn: {att.WithdrawalReason}"
            : m.Scanner is { Revoked: true } s ? $"verified when recorded; the key was revoked on {Time(s.RevokedAt!.Value)}" : "verified when recorded against a registered, non-revoked key";
        yield return new KeyValues(
        [
            ("Scanner", $"{att.ScannerName} ({att.ScannerId})"),
            ("Key id", att.KeyId),
            ("Signature", signature),
            ("Envelope payload SHA-256", att.EnvelopeSha256),
            ("Recorded", Time(att.RecordedAt)),
            ("Scanned", Time(p.ScannedAt)),
        ]);
        yield return new Heading("What the file declares", 2);
        yield return new KeyValues(
        [
            ("Architecture", p.Metadata.Architecture ?? "—"), ("Name", p.Metadata.Name ?? "—"), ("Organization", p.Metadata.Organization ?? "—"),
            ("Parameters", p.Metadata.Parameters?.ToString("N0", Inv) ?? "—"), ("File type", p.Metadata.FileType ?? "—"),
            ("Context length (trained)", p.Metadata.ContextLength?.ToString("N0", Inv) ?? "—"),
            ("License", string.Join(" · ", new[] { Clip(p.Metadata.License), p.Metadata.LicenseName, p.Metadata.LicenseLink }.Where(x => !string.IsNullOrEmpty(x))) is { Length: > 0 } l ? l : "not declared"),
            ("Base models", List(p.Metadata.BaseModels)),
        ]);
        if (p.Truncated.Count > 0)
        {
            yield return new Heading("Values the scanner shortened", 3);
            yield return new Paragraph("The file says more than an attestation holds: the scanner shortened these values (or replaced characters " +
                "that cannot be stored) and kept the SHA-256 of each original, to check against the artifact.");
            yield return new Table(
                [TableColumn.Relative("Value", 2), TableColumn.Relative("Original length", 1, TextAlign.Right), TableColumn.Relative("SHA-256 of the original", 3)],
                p.Truncated.Select(t => (IReadOnlyList<string>)[t.Path, t.Length.ToString("N0", Inv), t.Sha256]).ToList());
        }
        yield return new Heading("Footprint", 2);
        yield return new KeyValues(
        [
            ("Model file", $"{p.Artifact.Name} ({Bytes(p.Artifact.SizeBytes)})"),
            ("Context length measured", p.Footprint.ContextLength.ToString("N0", Inv)),
            ("Device memory: weights", Bytes(p.Footprint.DeviceBytes.Weights)),
            ("Device memory: KV cache", Bytes(p.Footprint.DeviceBytes.KvCache)),
            ("Device memory: compute", Bytes(p.Footprint.DeviceBytes.Compute)),
            ("Device memory: total", Bytes(p.Footprint.DeviceBytes.Total)),
            ("Device memory: measured", p.Footprint.DeviceBytes.Measured is { } measured ? $"{Bytes(measured)} (NVML)" : "not measured (no NVML on the scanner)"),
            ("Peak host RSS", p.Footprint.HostPeakRssBytes is { } rss ? Bytes(rss) : "—"),
            ("Load time", p.LoadSeconds is { } ls ? $"{ls:0.###} s" : "—"),
            ("Time to first token", p.TimeToFirstTokenSeconds is { } ttft ? $"{ttft * 1000:0.#} ms" : "—"),
            ("Roofline (tg)", p.RooflineFraction is { } r ? $"{r:P0} of the memory-bandwidth bound" : "—"),
        ]);
        if (p.Footprint.Buffers.Count > 0)
            yield return new Table(
                [TableColumn.Relative("llama.cpp buffer", 2), TableColumn.Relative("Holds", 1.5f), TableColumn.Relative("Size", 2, TextAlign.Right)],
                p.Footprint.Buffers.Select(b => (IReadOnlyList<string>)[b.Buffer, b.Kind, Bytes(b.Bytes)]).ToList());
        yield return new Heading("Throughput", 2);
        yield return new Table(
            [TableColumn.Relative("Test", 1), TableColumn.Relative("Tokens/s (mean ± sd)", 2, TextAlign.Right), TableColumn.Constant("Runs", 40, TextAlign.Right), TableColumn.Relative("Samples", 4)],
            p.Throughput.Select(t => (IReadOnlyList<string>)
            [
                t.Test ?? "", $"{t.MeanTokensPerSecond:0.##} ± {t.StddevTokensPerSecond:0.##}", t.Repetitions.ToString(Inv),
                string.Join(", ", t.SamplesTokensPerSecond.Select(x => x.ToString("0.##", Inv))),
            ]).ToList());
        foreach (var t in p.Throughput.Where(t => t.SamplesTokensPerSecond.Count > 0))
            yield return new BarChart($"{t.Test}: tokens/s per repetition", t.SamplesTokensPerSecond.Select((v, i) => new Bar($"#{i + 1}", v)).ToList(), "tokens/s", 120);
        yield return new Heading("Environment", 2);
        var e = p.Environment;
        yield return new KeyValues(
        [
            ("Backend", e.Backend ?? "—"), ("Device", e.Device ?? "—"), ("Driver / CUDA", $"{e.Driver ?? "—"} / {e.CudaVersion ?? "—"}"),
            ("CPU", e.Cpu ?? "—"), ("Threads", e.Threads?.ToString(Inv) ?? "—"), ("llama.cpp", e.LlamaCppBuild ?? "—"), ("Scanner", e.ScannerVersion ?? "—"),
        ]);
    }

    private IEnumerable<Block> History()
    {
        yield return new Heading("Decision history");
        yield return m.Decisions.Count == 0
            ? new Paragraph("No decision was taken by this instant.")
            : new Table([TableColumn.Constant("Time (UTC)", 104), TableColumn.Relative("By", 1.3f), TableColumn.Relative("Decision", 4)], m.Decisions);

        yield return new Heading("Audit trail");
        yield return new Paragraph($"Every event of the deployment's stream up to {Time(m.AsOf)}, oldest first ({m.Trail.Count} events).");
        yield return new Table(
            [TableColumn.Constant("#", 24, TextAlign.Right), TableColumn.Constant("Time (UTC)", 104), TableColumn.Relative("Actor", 1), TableColumn.Constant("Event", 124), TableColumn.Relative("Summary", 2.6f)],
            m.Trail);
    }

    private IEnumerable<Block> Verification()
    {
        yield return new Heading("Verifying this report");
        yield return new Paragraph($"When Governance issued this report it recorded the SHA-256 digest of this exact PDF in its ledger, with the report id " +
                                   $"{m.ReportId}, the instant it describes ({Time(m.AsOf)}), the time of issue and who asked for it. " +
                                   "To check that a copy is the one issued, send it to the Governance API: POST /reports/verify with the PDF as the body " +
                                   "(Content-Type: application/pdf). The answer names the deployment, the instant, the issue time and the requester. " +
                                   "Alternatively compute the digest yourself (sha256sum report.pdf) and ask Governance's auditors to compare it with the ledger " +
                                   "entry for this report id. A copy that differs by a single byte does not verify.");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC";

    private static string Words<T>(T value) where T : struct, Enum => Naming.Words(value);

    /// <summary>
    /// A license as the file declares it is usually an id, but some converters put the whole text there (up to 64 KiB in an
    /// attestation): its first words identify it, and the attestation keeps the rest.
    /// </summary>
    private static string? Clip(string? text) => text is { Length: > 300 } ? $"{text[..300]}… ({text.Length.ToString("N0", Inv)} characters in the attestation)" : text;

    private static string List(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "none";

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB ({bytes:N0} bytes)",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB ({bytes:N0} bytes)",
        _ => $"{bytes:N0} bytes",
    };
}
