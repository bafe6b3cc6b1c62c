using Governance.Api.Events;
using System.Diagnostics;
using Governance.Api;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Reports.Deployment;
using Governance.Api.Features.Reports.Portfolio;
using Governance.Pdf;
using Governance.Policies;
using Governance.Policies.Evaluation;
using JasperFx.Events;

namespace Governance.Benchmarks;

/// <summary>
/// Pages per second for the deployment report with a long audit trail and for a portfolio (500 deployments, or --portfolio N), rendered
/// from in-memory read models (the database is not what is measured), with peak memory.
/// </summary>
public static class ReportRate
{
    public static int Run(string[] args)
    {
        var rounds = Bench.Option(args, "--rounds", 20);
        var catalog = Realistic.Catalog();
        var input = Realistic.Input(catalog);
        var assessment = Evaluator.Evaluate(input);
        var by = new Actor("architect:ari", "Ari Architect", Role.Architect);
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var id = Guid.CreateVersion7();

        // A deployment with 600 events: registration, then usage reports and re-assessments, a decision in between.
        var registered = new DeploymentRegistered(id, "Support assistant (EU)", StoredModel.From(input.Deployment.Model), StoredUsage.From(input.Deployment.Usage), by, start);
        var view = DeploymentView.Create(registered);
        var events = new List<IEvent> { Wrap(registered, 1, start) };
        // --out DIR keeps the last render of each report there, to look at (pdftoppm -png -r 60 ...).
        Out = Bench.Text(args, "--out");
        var size = Bench.Option(args, "--portfolio", 500);
        for (var v = 2; v <= 600; v++)
        {
            var at = start.AddHours(v);
            object e = v == 3
                ? new DeploymentApproved(id, "Obligations met by the product team.", [], new Actor("legal:dana", "Dana Legal", Role.Legal), at)
                : v % 2 == 0
                    ? new DeploymentAssessed(id, assessment.Verdict, StoredShapes.From(assessment.Findings), catalog.Version, "usage-reported", DateOnly.FromDateTime(at.UtcDateTime), by, at)
                    : new DeploymentUsageReported(id, StoredUsage.From(input.Deployment.Usage with { MonthlyActiveUsers = 250_000 + v }), ["monthlyActiveUsers"], by, at);
            Apply(view, e);
            events.Add(Wrap(e, v, at));
        }
        view.Version = 600;
        var company = new CompanyState { Name = "Acme GmbH", Domicile = "DE", Usage = [.. input.Company.Usage] };
        using var deploymentModel = new DeploymentReportModel(Guid.CreateVersion7(), start.AddDays(40), by, start.AddDays(40), view,
            catalog.Find("llama3.1"), catalog.Version, company, input.Rules, true, null);
        foreach (var e in events) deploymentModel.Add(e);

        // The portfolio model is filled the way the endpoint fills it from the database: one deployment at a time.
        using var portfolioModel = new PortfolioReportModel(Guid.CreateVersion7(), start.AddDays(40), by, "Acme GmbH");
        for (var i = 0; i < size; i++)
        {
            var d = DeploymentView.Create(registered with { DeploymentId = Guid.CreateVersion7(), Name = $"Product line {i:D6}" });
            d.Apply(new DeploymentAssessed(d.Id, assessment.Verdict, StoredShapes.From(assessment.Findings), catalog.Version, "registered", DateOnly.FromDateTime(start.UtcDateTime), by, start));
            portfolioModel.Add(d);
        }

        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd}; {rounds} rounds each after 3 warm-up renders");
        Measure("deployment report, 600-event audit trail", () => new DeploymentReportDocument(deploymentModel), rounds);
        Measure($"portfolio report, {size:N0} deployments", () => new PortfolioReportDocument(portfolioModel), rounds);
        Console.WriteLine($"peak working set of the process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB");
        return 0;
    }

    /// <summary>What Marten's projection does with each event, in memory: the view's Apply for the event's type.</summary>
    private static void Apply(DeploymentView view, object e) => ((dynamic)view).Apply((dynamic)e);

    private static IEvent Wrap<T>(T data, long version, DateTimeOffset at) where T : notnull =>
        new Event<T>(data) { Version = version, Sequence = version, Timestamp = at, EventTypeName = Naming.Snake(typeof(T).Name) };

    private static void Measure(string name, Func<IReportDocument> document, int rounds)
    {
        for (var i = 0; i < 3; i++) Render(document());
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var pages = 0;
        long bytes = 0;
        for (var i = 0; i < rounds; i++)
        {
            var (p, b) = Render(document());
            pages += p;
            bytes = b;
        }
        clock.Stop();
        var perRender = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / rounds;
        Console.WriteLine($"{name}: {pages / rounds} pages, {bytes / 1024.0:0} KiB, {clock.Elapsed.TotalMilliseconds / rounds:0.0} ms per report, " +
                          $"{pages / clock.Elapsed.TotalSeconds:0} pages/s, {perRender / (1024.0 * 1024):0.0} MiB allocated per report");
    }

    private static string? Out;

    private static (int Pages, long Bytes) Render(IReportDocument document)
    {
        if (Out is not null)
        {
            Directory.CreateDirectory(Out);
            using var kept = File.Create(Path.Combine(Out, document.GetType().Name + ".pdf"));
            return (PdfDocumentBuilder.Render(document, kept), kept.Length);
        }
        using var file = new FileStream(Path.Combine(Path.GetTempPath(), $"governance-bench-{Guid.NewGuid():N}.pdf"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        var pages = PdfDocumentBuilder.Render(document, file);
        return (pages, file.Length);
    }
}
