using BenchmarkDotNet.Running;
using Governance.Benchmarks;

// dotnet run -c Release --project tests/Benchmarks -- evaluator   (BenchmarkDotNet, one core)
// dotnet run -c Release --project tests/Benchmarks -- write [--seconds 20] [--concurrency 8] [--append quick|rich]
// dotnet run -c Release --project tests/Benchmarks -- scan-fidelity [--threads N] [-p 512] [-n 128] [-r 5] [--rounds 6] [--rebuild]
// dotnet run -c Release --project tests/Benchmarks -- hash [--mib 1024] [--runs 3] [--shards N]   (N > 0: a sharded model folder)
// dotnet run -c Release --project tests/Benchmarks -- reports [--rounds 20] [--portfolio 500] [--out DIR]
// dotnet run -c Release --project tests/Benchmarks -- scale [--deployments 100000] [--concurrency 8] [--stream-events 10000] [--api-log FILE]   (build src/Api in Release first)
// dotnet run -c Release --project tests/Benchmarks -- reassess [--deployments 10000] [--runs 4] [--api-log FILE]   (build src/Api in Release first)
// dotnet run -c Release --project tests/Benchmarks -- faults [--runs 3] [--writers 8] [--before 10] [--outage 8] [--between 10] [--after 10]
// dotnet run -c Release --project tests/Benchmarks -- hostile [--cases 10000] [--concurrency 8] [--seed 11]
return args.FirstOrDefault() switch
{
    "evaluator" => Run(() => BenchmarkRunner.Run<EvaluatorBenchmarks>(args: args[1..])),
    "write" => await WritePath.RunAsync(args[1..]),
    "scan-fidelity" => ScanFidelity.Run(args[1..]),
    "hash" => await HashRate.RunAsync(args[1..]),
    "reports" => ReportRate.Run(args[1..]),
    "scale" => await Scale.RunAsync(args[1..]),
    "reassess" => await Reassess.RunAsync(args[1..]),
    "faults" => await Faults.RunAsync(args[1..]),
    "hostile" => await Hostile.RunAsync(args[1..]),
    _ => Usage(),
};

static int Run(Action benchmark)
{
    benchmark();
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Governance.Benchmarks evaluator [BenchmarkDotNet args] | write [--seconds N] [--concurrency N] | scan-fidelity [--threads N] | hash [--mib N] [--shards N] | reports [--rounds N] [--portfolio N] [--out DIR] | scale [--deployments N] [--concurrency N] [--stream-events N] [--api-log FILE] | reassess [--deployments N] [--runs N] [--api-log FILE] | faults [--runs N] [--writers N] [--before S] [--outage S] [--between S] [--after S] | hostile [--cases N] [--concurrency N] [--seed N]");
    return 2;
}
