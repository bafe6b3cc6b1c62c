using BenchmarkDotNet.Attributes;
using Governance.Policies;
using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Benchmarks;

[MemoryDiagnoser]
[InProcess] // the project and assembly names differ; in-process is exact enough for a microbenchmark
public class EvaluatorBenchmarks
{
    private EvaluationInput _input = null!;
    private EvaluationInput _derivative = null!;
    private ModelCatalog _models = null!;
    private LicenseCatalog _licenses = null!;

    [GlobalSetup]
    public void Setup()
    {
        _licenses = Realistic.Catalog();
        _input = Realistic.Input(_licenses);
        _models = ModelCatalog.Parse(
            Directory.EnumerateFiles(Path.Combine(Realistic.RepoRoot(), "policies", "models"), "*.yaml")
                .Select(f => new CatalogSource(Path.GetFileName(f), File.ReadAllText(f))), _licenses);
        // The same deployment, as the company's own Apache-2.0 fine-tune of Llama 3.1 8B: two licenses in the lineage.
        var model = _input.Deployment.Model with
        {
            Name = "Acme-Support-8B", LicenseId = "apache-2.0", IsDerivative = true, BaseModels = ["meta-llama/Llama-3.1-8B"],
            DistributedName = "Llama-Acme-Support-8B",
        };
        _derivative = _input with { License = _licenses.Find("apache-2.0"), Deployment = _input.Deployment with { Model = model } };
    }

    [Benchmark(Description = "Evaluate: Llama 3.1, EU SaaS, company rules, waiver")]
    public Assessment Evaluate() => Evaluator.Evaluate(_input);

    [Benchmark(Description = "Resolve lineage + evaluate: Apache-2.0 fine-tune of Llama 3.1 (two licenses)")]
    public Assessment EvaluateDerivative() => Evaluator.Evaluate(_derivative with
    {
        Lineage = Lineage.Resolve(_derivative.Deployment.Model, _models, _licenses),
    });
}
