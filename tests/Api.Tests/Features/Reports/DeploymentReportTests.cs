using System.Text.RegularExpressions;
using Governance.Api.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Governance.Api.Tests.Features.Reports;

public sealed class DeploymentReportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<string> DeploymentWithHistory(string name)
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: name, regions: ["us-east-1"], displaysAttribution: false))).Json["id"]!;
        var approved = await api.Post($"/deployments/{id}/decision", "legal", new
        {
            decision = "approve", justification = "SCCs signed with the US processor.",
            waivers = new[] { new { findingCode = "residency-violation", expiresOn = api.Clock.Today.AddDays(45).ToString("yyyy-MM-dd"), reason = "EU region goes live in Q1." } },
        });
        Assert.Equal(200, approved.Status);
        return id;
    }

    internal static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    /// <summary>The text without whitespace: identifiers in narrow table columns wrap, and wrapping is layout, not content.</summary>
    internal static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public async Task the_report_holds_verdict_findings_clauses_waivers_digest_and_the_trail_in_order()
    {
        var id = await DeploymentWithHistory("report-contents");
        var (status, pdf, headers) = await api.Download($"/deployments/{id}/report", "auditor");
        Assert.Equal(200, status);
        Assert.Equal("application/pdf", headers.ContentType.ToString());
        var words = Text(pdf);
        var text = Compact(words);

        Assert.Contains("conditional", text);
        var findings = (await api.Get($"/deployments/{id}", "auditor")).Json["assessment"]!["findings"]!.AsArray();
        foreach (var f in findings)
        {
            Assert.Contains((string)f!["code"]!, text);
            Assert.Contains((string)f["clauseId"]!, text);
        }
        Assert.Contains("llama3.1#2-additional-commercial-terms", text);
        Assert.Contains(api.Clock.Today.AddDays(45).ToString("yyyy-MM-dd"), text);
        Assert.Contains(Requests.Sha, text);
        Assert.Contains("Noattestationofthisartifactexists", text);

        var trail = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray().Select(e => (string)e!["type"]!).ToList();
        var inTrail = words.IndexOf("Audit trail", StringComparison.Ordinal);
        Assert.True(inTrail > 0);
        foreach (var type in trail)
        {
            var at = words.IndexOf(type, inTrail, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{type} not found after position {inTrail}");
            inTrail = at;
        }
        Assert.Contains("Verifyingthisreport", text);
        Assert.Contains(headers["X-Report-Id"].ToString(), text);
    }

    [Fact]
    public async Task the_issued_pdf_verifies_and_a_modified_copy_or_an_unknown_pdf_does_not()
    {
        var id = await DeploymentWithHistory("report-verify");
        var (_, pdf, headers) = await api.Download($"/deployments/{id}/report", "legal");

        var verified = await api.UploadPdf("/reports/verify", "architect", pdf);
        Assert.Equal(200, verified.Status);
        Assert.True((bool)verified.Json["verified"]!);
        Assert.Equal(id, (string?)verified.Json["deploymentId"]);
        Assert.Equal(headers["X-Report-Id"].ToString(), (string?)verified.Json["reportId"]);
        Assert.Equal("Test legal", (string?)verified.Json["issuedBy"]!["name"]);

        var modified = pdf.ToArray();
        modified[modified.Length / 2] ^= 0x20;
        Assert.False((bool)(await api.UploadPdf("/reports/verify", "auditor", modified)).Json["verified"]!);

        var unknown = "%PDF-1.4\n%unknown\n"u8.ToArray();
        Assert.False((bool)(await api.UploadPdf("/reports/verify", "auditor", unknown)).Json["verified"]!);
    }

    [Fact]
    public async Task as_of_reports_differ_exactly_where_the_history_differs()
    {
        var id = await DeploymentWithHistory("report-asof");
        var before = DateTimeOffset.Parse((string)(await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray().Last()!["time"]!);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await api.Post($"/deployments/{id}/usage", "architect", new { regions = new[] { "eu-west-1" } });

        var (_, then, _) = await api.Download($"/deployments/{id}/report?asOf={Uri.EscapeDataString(before.AddTicks(10).ToString("O"))}", "auditor");
        var (_, now, _) = await api.Download($"/deployments/{id}/report", "auditor");
        var (thenText, nowText) = (Text(then), Text(now));

        Assert.Contains("us-east-1", thenText);
        Assert.DoesNotContain("deployment_usage_reported", thenText);
        Assert.Contains("deployment_usage_reported", nowText);
        Assert.Contains("residency-violation", thenText);
    }

    [Fact]
    public async Task rendering_twice_for_the_same_instant_gives_the_same_content_apart_from_the_issue()
    {
        var id = await DeploymentWithHistory("report-twice");
        var last = DateTimeOffset.Parse((string)(await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray().Last()!["time"]!);
        var asOf = Uri.EscapeDataString(last.AddMilliseconds(1).ToString("O"));
        var (_, first, h1) = await api.Download($"/deployments/{id}/report?asOf={asOf}", "auditor");
        var (_, second, h2) = await api.Download($"/deployments/{id}/report?asOf={asOf}", "auditor");

        Assert.NotEqual(h1["X-Report-Id"].ToString(), h2["X-Report-Id"].ToString());
        var a = Text(first).Replace(h1["X-Report-Id"].ToString(), "<id>");
        var b = Text(second).Replace(h2["X-Report-Id"].ToString(), "<id>");
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task a_long_history_grows_the_report_and_repeats_the_table_header()
    {
        var id = await DeploymentWithHistory("report-long");
        var (_, shortPdf, _) = await api.Download($"/deployments/{id}/report", "auditor");
        // Each move in or out of the EU changes the residency finding: a usage event and an assessment each time.
        for (var i = 0; i < 150; i++)
            await api.Post($"/deployments/{id}/usage", "architect", new { regions = new[] { i % 2 == 0 ? "eu-west-1" : "us-east-1" }, monthlyActiveUsers = 300_000 + i });
        var events = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray().Count;
        Assert.True(events >= 300, $"{events} events");
        var (_, longPdf, _) = await api.Download($"/deployments/{id}/report", "auditor");

        using var shortDoc = PdfDocument.Open(shortPdf);
        using var longDoc = PdfDocument.Open(longPdf);
        Assert.True(longDoc.NumberOfPages >= shortDoc.NumberOfPages + 5, $"{shortDoc.NumberOfPages} -> {longDoc.NumberOfPages} pages");
        var trailPages = longDoc.GetPages().Where(p => p.Text.Contains("deployment_usage_reported")).ToList();
        Assert.True(trailPages.Count >= 5);
        Assert.All(trailPages, p => Assert.Contains("Summary", string.Join(" ", p.GetWords().Select(w => w.Text))));
        var last = longDoc.GetPage(longDoc.NumberOfPages);
        Assert.Contains($"Page {longDoc.NumberOfPages} of {longDoc.NumberOfPages}", string.Join(" ", last.GetWords().Select(w => w.Text)));
    }
}

public sealed class PortfolioReportTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task the_portfolio_lists_every_deployment_after_a_one_page_summary_and_verifies()
    {
        var names = new List<string>();
        string? retired = null;
        for (var i = 0; i < 40; i++)
        {
            var name = $"portfolio-{i:D2}";
            names.Add(name);
            var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: name, licenseId: i % 3 == 0 ? "apache-2.0" : "llama3.1", regions: i % 5 == 0 ? ["us-east-1"] : null))).Json["id"]!;
            // Later deployments' waivers expire sooner, so the expiring table's order is not the name order.
            if (i % 5 == 0)
                await api.Post($"/deployments/{id}/decision", "legal", new
                {
                    decision = "approve", justification = "SCCs.",
                    waivers = new[] { new { findingCode = "residency-violation", expiresOn = api.Clock.Today.AddDays(60 - i).ToString("yyyy-MM-dd"), reason = "EU region soon." } },
                });
            if (i == 1)
            {
                await api.Post($"/deployments/{id}/retire", "legal", new { reason = "Replaced." });
                retired = name;
            }
        }

        var (status, pdf, headers) = await api.Download("/reports/portfolio", "auditor");
        Assert.Equal(200, status);
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages >= 3);
        var first = string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));
        Assert.Contains("Portfolio compliance report", first);
        Assert.Contains("Waivers expiring", first);
        Assert.DoesNotContain("portfolio-00", first);
        var rest = string.Join(" ", document.GetPages().Skip(1).SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.All(names, n => Assert.Contains(n, rest));
        Assert.Contains("40 (39 in service, 1 retired)", first);
        Assert.Contains("2 in the next 30 days, 8 in the next 90 days", first);

        // Every deployment: in service by name, the retired one last; expiring waivers soonest first.
        var listed = Regex.Matches(rest, @"portfolio-\d\d").Select(m => m.Value).ToList();
        var everyDeployment = listed.Take(40).ToList();
        Assert.Equal([.. names.Where(n => n != retired), retired!], everyDeployment);
        var expiring = rest[rest.IndexOf("Waivers expiring in the next 90 days", StringComparison.Ordinal)..];
        expiring = expiring[..expiring.IndexOf("Deployments that need attention", StringComparison.Ordinal)];
        Assert.Equal(["portfolio-35", "portfolio-30", "portfolio-25", "portfolio-20", "portfolio-15", "portfolio-10", "portfolio-05", "portfolio-00"],
            Regex.Matches(expiring, @"portfolio-\d\d").Select(m => m.Value).ToList());

        var verified = await api.UploadPdf("/reports/verify", "admin", pdf);
        Assert.True((bool)verified.Json["verified"]!);
        Assert.Equal("portfolio", (string?)verified.Json["kind"]);
        Assert.Equal(headers["X-Report-Id"].ToString(), (string?)verified.Json["reportId"]);
    }
}

public sealed class VerifyUploadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_multipart_upload_verifies_and_a_json_body_is_a_400_naming_the_file()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "multipart"))).Json["id"]!;
        var (_, pdf, _) = await api.Download($"/deployments/{id}/report", "legal");

        var result = await api.Host.Scenario(s =>
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(pdf), "file", "report.pdf" } };
            s.Post.MultipartFormData(form).ToUrl("/reports/verify");
            s.WithBearerToken(ApiFixture.Token("auditor"));
            s.IgnoreStatusCode();
        });
        var json = System.Text.Json.Nodes.JsonNode.Parse(await result.ReadAsTextAsync())!;
        Assert.True((bool)json["verified"]!, json.ToJsonString());

        var wrong = await api.Send(HttpMethod.Post, "/reports/verify", "auditor", "{}");
        Assert.Equal(400, wrong.Status);
        Assert.True(wrong.Json["errors"]!.AsArray().Any(e => (string?)e!["name"] == "file"), wrong.Text);
    }
}

public sealed class MissingFontsTests : IAsyncLifetime
{
    private readonly DirectoryInfo _empty;
    private readonly ApiFixture _api;

    public MissingFontsTests()
    {
        _empty = Directory.CreateTempSubdirectory("governance-no-fonts-");
        _api = new ApiFixture { Settings = new Dictionary<string, string> { ["Governance:Reports:FontsDir"] = _empty.FullName } };
    }

    public Task InitializeAsync() => _api.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _empty.Delete(recursive: true);
    }

    [Fact]
    public async Task without_the_fonts_a_report_is_a_503_saying_what_to_install()
    {
        var id = (string)(await _api.Post("/deployments", "architect", Requests.Deployment(name: "no-fonts"))).Json["id"]!;
        var reply = await _api.Get($"/deployments/{id}/report", "auditor");
        Assert.Equal(503, reply.Status);
        Assert.Contains("fonts-dejavu-core", (string?)reply.Json["detail"]);
    }
}
