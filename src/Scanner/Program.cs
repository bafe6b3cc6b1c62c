using Governance.Scanner.Cli;
using Governance.Scanner.Host;
using Governance.Scanner.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Governance.Scanner;

// A named class, not top-level statements: the Api's tests reference both executables, and two global `Program`
// types would make the Api's `AlbaHost.For<Program>` ambiguous.
internal static class Program
{
    /// <summary>No arguments or <c>run</c>: the scanner host. <c>scan</c>, <c>verify</c>, <c>key</c>: the CLI.</summary>
    public static async Task<int> Main(string[] args)
    {
        var command = args.FirstOrDefault();
        if (command is null or "run") return await RunHostAsync(args.Skip(command is null ? 0 : 1).ToArray());

        var options = Configuration(args[1..]).GetSection(ScannerOptions.Section).Get<ScannerOptions>() ?? new ScannerOptions();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops the scan at its next check (nothing is signed); a second one ends the process.
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        var console = AnsiConsole.Console;
        return command switch
        {
            "scan" => await Commands.ScanAsync(args[1..], console, options, TimeProvider.System, cancel.Token),
            "verify" => Commands.Verify(args[1..], console),
            "key" => Commands.Key(args[1..], console, options),
            "help" or "-h" or "--help" => Help(0),
            _ => Help(Commands.Usage),
        };
    }

    private static int Help(int exitCode)
    {
        Console.Error.WriteLine(Commands.Help);
        return exitCode;
    }

    // appsettings.json beside the binary, then Scanner__* environment variables, as the host reads them.
    private static IConfiguration Configuration(string[] args) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    private static async Task<int> RunHostAsync(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory, // find appsettings.json wherever the scanner is started from
        });
        var options = builder.Configuration.GetSection(ScannerOptions.Section).Get<ScannerOptions>() ?? new ScannerOptions();
        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var api))
        {
            Console.Error.WriteLine("Scanner:ApiUrl must be the Api's absolute URL (e.g. Scanner__ApiUrl=https://governance.internal/).");
            return Commands.Usage;
        }
        var key = ScannerKey.LoadOrCreate(options.KeyPath);
        // Relative request paths resolve under the base only when it ends with '/'.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = api.AbsoluteUri.EndsWith('/') ? api : new Uri(api.AbsoluteUri + "/"),
            Timeout = TimeSpan.FromSeconds(100),
        };
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton(http);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHostedService(sp => ScanWorker.Create(options, http, key, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));

        using var host = builder.Build();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Scanner");
        log.LogInformation("Signing key {KeyId} at {Path}{Created}", key.KeyId, key.Path, key.Created ? " (new: register its public key with POST /scanners, see `key`)" : "");
        if (key.Warning is not null) log.LogWarning("{Warning}", key.Warning);
        await host.RunAsync(); // SIGTERM/Ctrl+C cancel the worker's token; a scan in progress is abandoned
        return 0;
    }
}
