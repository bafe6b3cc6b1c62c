using Governance.Attestations;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Measurement;
using Governance.Scanner.Signing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scanner.Host;

/// <summary>How one pass of the loop ended.</summary>
internal enum ScanIteration
{
    /// <summary>The Api had nothing to scan.</summary>
    NoWork,
    /// <summary>Scanned, signed and recorded by the Api.</summary>
    Attested,
    /// <summary>No file in the models folder has the registered digest (one with the model's name may have another).</summary>
    ArtifactNotFound,
    /// <summary>The scan refused to sign: artifact mismatch, unreadable GGUF, file changed underneath.</summary>
    Refused,
    /// <summary>The Api answered the attestation with a 4xx.</summary>
    RejectedByApi,
}

/// <summary>
/// The scanner host: lease the next approved deployment, find its file, scan, post the signed attestation; repeat.
/// Whatever cannot be attested (file missing, digest mismatch, unreadable GGUF, an Api refusal) is logged and its
/// lease left to lapse, so the deployment is offered again later, to this scanner or another. On SIGTERM the host
/// cancels the token: a scan in progress stops at its next check (hash chunk, load progress, decode) and is not posted.
/// </summary>
internal sealed class ScanWorker(
    ApiClient api,
    ArtifactLocator locator,
    ScanPipeline pipeline,
    BenchSettings bench,
    Func<FootprintEnvironment> environment,
    string keyId,
    TimeSpan pollInterval,
    TimeProvider clock,
    ILogger<ScanWorker> logger) : BackgroundService
{
    private readonly Retry _backoff = new(clock, baseDelay: TimeSpan.FromSeconds(2), maxDelay: TimeSpan.FromMinutes(5));

    public static ScanWorker Create(ScannerOptions options, HttpClient http, ScannerKey key, TimeProvider clock, ILoggerFactory? logging = null)
    {
        logging ??= NullLoggerFactory.Instance;
        if (string.IsNullOrWhiteSpace(options.ModelsDir)) throw new InvalidOperationException("Scanner:ModelsDir is not set: the folder holding the GGUF files.");
        var bench = new BenchSettings { Threads = options.Threads, GpuLayers = options.GpuLayers, Repetitions = options.Repetitions };
        return new ScanWorker(
            new ApiClient(http, options.Token, new Retry(clock), logging.CreateLogger<ApiClient>()),
            new ArtifactLocator(options.ModelsDir),
            new ScanPipeline(key, clock),
            bench,
            () => EnvironmentProbe.Current(options.Threads),
            key.KeyId,
            TimeSpan.FromSeconds(Math.Max(1, options.PollSeconds)),
            clock,
            logging.CreateLogger<ScanWorker>());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Scanner polling every {Seconds} s; models in {ModelsDir}", pollInterval.TotalSeconds, locator.ModelsDir);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var result = await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
                // After any work, ask again at once: a refused deployment keeps its lease, so the next one comes up.
                wait = result == ScanIteration.NoWork ? pollInterval : TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                logger.LogInformation("Stopping: the scan in progress, if any, was abandoned and not posted");
                return;
            }
            catch (Exception e)
            {
                // The Api unreachable after retries, a model llama.cpp cannot load, a full disk: back off and carry on.
                wait = _backoff.Delay(++failures);
                logger.LogError(e, "Scan loop failed ({Failures} in a row); next try in {Delay:F0} s", failures, wait.TotalSeconds);
            }
            try
            {
                await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One lease → locate → scan → post. Throws <see cref="OperationCanceledException"/> when cancelled mid-way; nothing is posted then.</summary>
    public async Task<ScanIteration> RunOnceAsync(CancellationToken cancellationToken)
    {
        // Probed at every lease: a driver or CUDA upgrade under a long-running host is reported with the next request.
        var lease = await api.LeaseNextAsync(environment(), keyId, cancellationToken).ConfigureAwait(false);
        if (lease is null) return ScanIteration.NoWork;
        var model = lease.Model;
        logger.LogInformation("Leased deployment {DeploymentId} ({Deployment}): {Model} sha256:{Sha256}, lease until {Expires:O}",
            lease.DeploymentId, lease.DeploymentName, model.Name, model.ArtifactSha256, lease.LeaseExpiresAt);

        var (found, nameMatchSha) = await locator.FindAsync(model.ArtifactSha256, [model.Name, model.DistributedName], null, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            if (nameMatchSha is not null)
            {
                logger.LogWarning("artifact-mismatch for deployment {DeploymentId}: the file named like {Model} has sha256:{Actual}, the registered artifact is sha256:{Registered}; not attested, reported to the Api",
                    lease.DeploymentId, model.Name, nameMatchSha, model.ArtifactSha256);
                await ReportFailure(lease, new ScanFailure(ScanFailureCodes.ArtifactMismatch,
                    $"The file named like {model.Name} has SHA-256 {nameMatchSha}; the registered artifact is {model.ArtifactSha256}. It was not attested.",
                    new Dictionary<string, string> { ["registered"] = model.ArtifactSha256, ["actual"] = nameMatchSha }), cancellationToken).ConfigureAwait(false);
                return ScanIteration.Refused;
            }
            else
                logger.LogWarning("No file in {ModelsDir} has sha256:{Registered} (model {Model}); lease left to lapse at {Expires:O}",
                    locator.ModelsDir, model.ArtifactSha256, model.Name, lease.LeaseExpiresAt);
            return ScanIteration.ArtifactNotFound;
        }

        var outcome = await pipeline.ScanAsync(new ScanRequest
        {
            Path = found.Path,
            DeploymentId = lease.DeploymentId,
            RegisteredSha256 = model.ArtifactSha256,
            KnownSha256 = found.FreshSha256,
            Bench = bench with { ContextLength = model.ContextLength is > 0 and var n ? (uint)n : null },
        }, progress: null, cancellationToken).ConfigureAwait(false);
        if (outcome.Sha256 is { } sha) locator.Remember(found.Path, sha);

        if (outcome.Envelope is null)
        {
            if (outcome.Failure is { } failure)
            {
                logger.LogWarning("Deployment {DeploymentId}: {File} not attested ({Code}): {Reason}; reported to the Api",
                    lease.DeploymentId, found.Path, failure.Code, outcome.RefusedBecause);
                await ReportFailure(lease, failure, cancellationToken).ConfigureAwait(false);
                return ScanIteration.Refused;
            }
            logger.LogWarning("Deployment {DeploymentId}: {File} not attested: {Reason}; lease left to lapse at {Expires:O}",
                lease.DeploymentId, found.Path, outcome.RefusedBecause, lease.LeaseExpiresAt);
            return ScanIteration.Refused;
        }
        // Measured and signed, but told to stop: a shutdown does not post.
        cancellationToken.ThrowIfCancellationRequested();

        try
        {
            await api.PostAttestationAsync(lease.DeploymentId, outcome.Envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRefusedException e)
        {
            logger.LogError("Deployment {DeploymentId}: the Api refused the attestation: {Status} {Reason}", lease.DeploymentId, (int)e.Status, e.Message);
            return ScanIteration.RejectedByApi;
        }
        if (outcome.Measurement is { } m)
            logger.LogInformation("Deployment {DeploymentId} attested: {Throughput}; load {Load:F2} s; device {Device:F0} MiB at context {Context}",
                lease.DeploymentId,
                string.Join(", ", m.Throughput.Select(t => $"{t.Test} {t.MeanTokensPerSecond:F1} ± {t.StddevTokensPerSecond:F1} t/s")),
                m.LoadSeconds, m.DeviceBytes.Total / 1048576.0, m.ContextLength);
        else
            logger.LogInformation("Deployment {DeploymentId} attested, inspection only ({Files} files, manifest sha256:{Sha256})",
                lease.DeploymentId, outcome.Manifest?.Resources.Count, outcome.Sha256);
        return ScanIteration.Attested;
    }

    /// <summary>A failed scan is reported so legal sees it; if the Api refuses the report, the lease simply lapses.</summary>
    private async Task ReportFailure(Lease lease, ScanFailure failure, CancellationToken cancellationToken)
    {
        try
        {
            await api.PostScanFailureAsync(lease.DeploymentId, lease.LeaseId, failure, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRefusedException e)
        {
            logger.LogError("Deployment {DeploymentId}: the Api refused the scan failure report: {Status} {Reason}", lease.DeploymentId, (int)e.Status, e.Message);
        }
    }
}
