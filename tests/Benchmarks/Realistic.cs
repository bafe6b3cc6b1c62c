using Governance.Policies;
using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Benchmarks;

/// <summary>A realistic assessment: Llama 3.1 in an EU SaaS product with personal data, two years of company figures.</summary>
public static class Realistic
{
    public static LicenseCatalog Catalog() => LicenseCatalog.Parse(
        Directory.EnumerateFiles(Path.Combine(RepoRoot(), "policies", "licenses"), "*.yaml")
            .Select(f => new CatalogSource(Path.GetFileName(f), File.ReadAllText(f))));

    public static EvaluationInput Input(LicenseCatalog catalog)
    {
        var usage = Enumerable.Range(0, 30)
            .Select(i => new MonthlyFigures(Month(new DateOnly(2024, 6, 1).AddMonths(i)), 2_000_000 + i * 10_000, 4_000_000m + i * 50_000m))
            .ToList();
        return new EvaluationInput(
            catalog.Find("llama3.1"),
            new DeploymentFacts(
                new ModelFacts("Meta-Llama-3.1-8B-Instruct", "llama3.1", new DateOnly(2024, 7, 23), "US", Modality.Text,
                    new string('a', 64), false, [], null),
                new UsageFacts(true, Hosting.Saas, ["eu-west-1", "eu-central-1"], ["personal", "support-tickets"], false, false,
                    ["customer-support"], 250_000)),
            new CompanyFacts("Acme GmbH", "DE", usage),
            new CompanyRules([new ResidencyRule("personal", ["eu-*"]), new ResidencyRule("financial", ["eu-central-1"])], ["KP"], true),
            AttestationFacts.None,
            [new Waiver(FindingCodes.AttestationRequired, new DateOnly(2027, 1, 31), "Scanner rollout", "Dana Legal")],
            new DateOnly(2026, 11, 22));
    }

    private static YearMonth Month(DateOnly d) => YearMonth.Of(d);

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Run the benchmarks from inside the repository.");
    }
}
