using BenchmarkDotNet.Running;
using Governance.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- evaluator   (BenchmarkDotNet, one core)
// dotnet run -c Release --project tests/Benchmarks -- write [--seconds 20] [--concurrency 8] [--append quick|rich]
return args.FirstOrDefault() switch
{
    "evaluator" => Run(() => BenchmarkRunner.Run<EvaluatorBenchmarks>(args: args[1..])),
    "write" => await WritePath.RunAsync(args[1..]),
    _ => Usage(),
};

static int Run(Action benchmark)
{
    benchmark();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Governance.Benchmarks evaluator [BenchmarkDotNet args] | write [--seconds N] [--concurrency N]");
    return 2;
}
