using BenchmarkDotNet.Attributes;
using Governance.Policies.Evaluation;

namespace Governance.Benchmarks;

[MemoryDiagnoser]
[InProcess] // the project and assembly names differ; in-process is exact enough for a microbenchmark
public class EvaluatorBenchmarks
{
    private EvaluationInput _input = null!;

    [GlobalSetup]
    public void Setup() => _input = Realistic.Input(Realistic.Catalog());

    [Benchmark(Description = "Evaluate: Llama 3.1, EU SaaS, company rules, waiver")]
    public Assessment Evaluate() => Evaluator.Evaluate(_input);
}
