using Governance.Scanner.Host;
using Governance.Scanner.Measurement;
using Governance.Scanner.Signing;
using Spectre.Console;

namespace Governance.Scanner.Cli;

/// <summary>
/// <c>scan</c>, <c>verify</c> and <c>key</c>: each a method returning the exit code, so tests call them in-process.
/// The CLI needs no Api and no deployment: its attestations name deployment <see cref="Guid.Empty"/>, which the Api
/// refuses for any real deployment; they are evidence for a person, checked with <c>verify</c>.
/// </summary>
internal static class Commands
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public const string Help = """
        usage:
          Governance.Scanner [run]                      the scanner host (Scanner:* configuration)
          Governance.Scanner scan <file.gguf | model folder> [--pp 512] [--tg 128] [-r 5] [--ctx N] [--threads N] [--ngl N]
                                              [--sweep] [--json envelope.json] [--key-path scanner-key.pem]
          Governance.Scanner verify <envelope.json> --key <public.pem>
          Governance.Scanner key [--key-path scanner-key.pem]
        """;

    public static async Task<int> ScanAsync(string[] args, IAnsiConsole console, ScannerOptions defaults, TimeProvider clock, CancellationToken cancellationToken)
    {
        CliArgs a;
        BenchSettings bench;
        var sweep = args.Contains("--sweep");
        try
        {
            a = CliArgs.Parse(args.Where(x => x != "--sweep").ToArray(), "--pp", "--tg", "-r", "--ctx", "--threads", "--ngl", "--json", "--key-path");
            if (a.Positional.Count != 1) throw new UsageException("scan takes one GGUF file or one model folder");
            bench = new BenchSettings
            {
                PromptTokens = a.Int("--pp", 0) ?? 512,
                GenerateTokens = a.Int("--tg", 0) ?? 128,
                Repetitions = a.Int("-r", 1) ?? defaults.Repetitions,
                ContextLength = a.Int("--ctx", 0) is { } ctx ? (uint)ctx : null,
                Threads = a.Int("--threads", 1) ?? defaults.Threads,
                GpuLayers = a.Int("--ngl") ?? defaults.GpuLayers,
            };
            bench.Validate();
        }
        catch (Exception e) when (e is UsageException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            console.WriteLine(Help);
            return Usage;
        }

        var path = a.Positional[0];
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            console.MarkupLineInterpolated($"[red]No file or model folder at {path}[/]");
            return Failed;
        }
        using var key = ScannerKey.LoadOrCreate(a.String("--key-path") ?? defaults.KeyPath);
        if (key.Warning is not null) console.MarkupLineInterpolated($"[yellow]{key.Warning}[/]");

        ScanOutcome outcome;
        try
        {
            outcome = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var hashing = ctx.AddTask("hashing", maxValue: 1);
                    var loading = ctx.AddTask("loading", maxValue: 1, autoStart: false);
                    var measuring = ctx.AddTask("measuring", maxValue: 1, autoStart: false);
                    var progress = new InlineProgress<ScanProgress>(p =>
                    {
                        switch (p.Stage)
                        {
                            case ScanStage.Hashing: hashing.Value = p.Fraction; break;
                            case ScanStage.Loading: loading.StartTask(); loading.Value = p.Fraction; break;
                            case ScanStage.Measuring: loading.Value = 1; measuring.StartTask(); measuring.IsIndeterminate = true; break;
                            case ScanStage.Signing: measuring.IsIndeterminate = false; measuring.Value = 1; break;
                        }
                    });
                    var scan = await new ScanPipeline(key, clock).ScanAsync(new ScanRequest { Path = path, Bench = bench, Sweep = sweep }, progress, cancellationToken);
                    foreach (var task in new[] { hashing, loading, measuring }) task.StopTask();
                    return scan;
                });
        }
        catch (OperationCanceledException)
        {
            console.MarkupLine("[yellow]Cancelled; nothing was signed.[/]");
            return Failed;
        }

        Report.Write(console, outcome);
        if (outcome.Envelope is null)
        {
            console.MarkupLineInterpolated($"[red]Not signed:[/] {outcome.RefusedBecause}");
            return Failed;
        }
        var json = a.String("--json");
        if (json is not null)
        {
            await File.WriteAllTextAsync(json, Attestation.ToJson(outcome.Envelope), cancellationToken);
            console.MarkupLineInterpolated($"Signed envelope written to [bold]{json}[/] (key {key.KeyId}, deployment {Guid.Empty}: a CLI scan)");
        }
        else
        {
            console.MarkupLineInterpolated($"Signed by {key.KeyId}; add --json <file> to keep the envelope.");
        }
        return Ok;
    }

    public static int Verify(string[] args, IAnsiConsole console)
    {
        CliArgs a;
        try
        {
            a = CliArgs.Parse(args, "--key");
            if (a.Positional.Count != 1 || a.String("--key") is null) throw new UsageException("verify takes an envelope file and --key <public.pem>");
        }
        catch (UsageException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            console.WriteLine(Help);
            return Usage;
        }
        string envelope, publicKey;
        try
        {
            envelope = File.ReadAllText(a.Positional[0]);
            publicKey = File.ReadAllText(a.String("--key")!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]invalid:[/] {e.Message}");
            return Failed;
        }
        var verdict = Attestation.Verify(envelope, publicKey);
        if (verdict.Valid)
        {
            var p = verdict.Statement!.Predicate;
            console.MarkupLineInterpolated($"[green]valid:[/] {verdict.Reason}; deployment {p.DeploymentId}, scanned {p.ScannedAt:O}");
            return Ok;
        }
        console.MarkupLineInterpolated($"[red]invalid:[/] {verdict.Reason}");
        return Failed;
    }

    public static int Key(string[] args, IAnsiConsole console, ScannerOptions defaults)
    {
        CliArgs a;
        try
        {
            a = CliArgs.Parse(args, "--key-path");
            if (a.Positional.Count != 0) throw new UsageException("key takes no arguments");
        }
        catch (UsageException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            console.WriteLine(Help);
            return Usage;
        }
        using var key = ScannerKey.LoadOrCreate(a.String("--key-path") ?? defaults.KeyPath);
        // The PEM alone on stdout, so `key > scanner.pub.pem` works; the rest is for people.
        console.Profile.Out.Writer.Write(key.PublicKeyPem + Environment.NewLine);
        Console.Error.WriteLine($"{(key.Created ? "Created" : "Key")} {key.Path} ({key.KeyId}). Register it: POST /scanners {{\"name\": \"…\", \"publicKey\": \"<the PEM above>\"}}");
        if (key.Warning is not null) Console.Error.WriteLine(key.Warning);
        return Ok;
    }
}
