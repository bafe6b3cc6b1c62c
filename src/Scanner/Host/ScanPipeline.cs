using Governance.Attestations;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Gguf;
using Governance.Scanner.Hub;
using Governance.Scanner.Measurement;
using Governance.Scanner.Signing;

namespace Governance.Scanner.Host;

/// <summary>One model to scan, and what its deployment declares (all optional: the CLI scans a file without one).</summary>
internal sealed record ScanRequest
{
    /// <summary>A GGUF file (measured), or a model folder of safetensors shards (inspected only).</summary>
    public required string Path { get; init; }

    /// <summary><see cref="Guid.Empty"/> when there is no deployment (the CLI).</summary>
    public Guid DeploymentId { get; init; }

    /// <summary>The deployment's registered artifactSha256; null skips the comparison.</summary>
    public string? RegisteredSha256 { get; init; }

    /// <summary>A digest the caller computed of this very file moments ago (the host's locator), so it is not read twice.</summary>
    public string? KnownSha256 { get; init; }

    public BenchSettings Bench { get; init; } = new();

    /// <summary>Measure a grid of settings and attest the best (<see cref="Measurement.Sweep"/>), not just llama-bench's defaults.</summary>
    public bool Sweep { get; init; }
}

internal enum ScanStage
{
    Hashing,
    Reading,
    Loading,
    Measuring,
    Signing,
}

/// <summary>Progress: the stage, and its fraction done in [0, 1] where one is known.</summary>
internal readonly record struct ScanProgress(ScanStage Stage, double Fraction);

/// <summary>What a scan ended with. Only a scan whose artifact is the registered one and that ran to the end is signed.</summary>
internal sealed record ScanOutcome
{
    public required string Path { get; init; }
    public required long SizeBytes { get; init; }
    public string? Sha256 { get; init; }
    public ModelMetadata? Metadata { get; init; }
    /// <summary>The multimodal projector beside the model, read and hashed; null when there is none.</summary>
    public VisionProjector? Vision { get; init; }
    /// <summary>License files beside a GGUF file that is alone in its folder (a model folder's are in <see cref="Folder"/>).</summary>
    public IReadOnlyList<LicenseFileEvidence> LicenseFiles { get; init; } = [];
    /// <summary>A model folder's files and digests; null for a single file.</summary>
    public FolderManifest? Manifest { get; init; }
    /// <summary>What a model folder says about itself; null for a single file.</summary>
    public HubFolderInspection? Folder { get; init; }
    /// <summary>Why the artifact could not be attested, when the scanner knows (reported to the Api); null otherwise.</summary>
    public ScanFailure? Failure { get; init; }
    public ModelMeasurement? Measurement { get; init; }
    /// <summary>Every configuration a sweep measured, and the best (whose figures are <see cref="Measurement"/>); null without a sweep.</summary>
    public (SweepTrial Best, IReadOnlyList<SweepTrial> Trials)? Sweep { get; init; }
    public ModelFootprint? Predicate { get; init; }
    public Dsse.Envelope? Envelope { get; init; }

    /// <summary>Why nothing was signed; null when <see cref="Envelope"/> is set.</summary>
    public string? RefusedBecause { get; init; }
}

/// <summary>
/// The scan, top to bottom: hash the file once and compare it with the registered digest (a mismatch stops here: it is
/// reported as <c>artifact-mismatch</c> and never attested); read the GGUF header with the hostile-input-safe reader
/// (only files it accepts reach llama.cpp); load and measure; build the predicate, with what the file says about its
/// license and lineage for Governance to judge, and sign it. Cancellation reaches hashing, loading and every decode; a cancelled scan signs nothing.
/// </summary>
internal sealed class ScanPipeline(ScannerKey key, TimeProvider clock)
{
    // llama.cpp on one device: a second scan at once would share the GPU (or the cores) and corrupt both measurements.
    private static readonly SemaphoreSlim OneScanAtATime = new(1, 1);

    public async Task<ScanOutcome> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Bench.Validate();
        if (Directory.Exists(request.Path)) return await InspectFolderAsync(request, progress, cancellationToken).ConfigureAwait(false);
        var file = new FileInfo(request.Path);
        if (!file.Exists) throw new FileNotFoundException("No model file at this path.", request.Path);
        var (size, written) = (file.Length, file.LastWriteTimeUtc);
        var outcome = new ScanOutcome { Path = file.FullName, SizeBytes = size };

        var sha256 = request.KnownSha256;
        if (sha256 is null)
        {
            long hashed = 0;
            var bytes = progress is null ? null : new InlineProgress<long>(n =>
            {
                hashed += n;
                progress.Report(new ScanProgress(ScanStage.Hashing, size == 0 ? 1 : (double)hashed / size));
            });
            sha256 = await ArtifactHasher.Sha256Async(file.FullName, bytes, cancellationToken).ConfigureAwait(false);
        }
        progress?.Report(new ScanProgress(ScanStage.Hashing, 1));
        outcome = outcome with { Sha256 = sha256 };
        if (request.RegisteredSha256 is { } registered && ArtifactHasher.CompareToRegistered(registered, sha256) is { } mismatch)
            return outcome with { Failure = mismatch, RefusedBecause = mismatch.Message };

        progress?.Report(new ScanProgress(ScanStage.Reading, 0));
        GgufFile gguf;
        try
        {
            gguf = GgufReader.Read(file.FullName);
        }
        catch (GgufFormatException e)
        {
            var reason = $"Not a GGUF file the scanner accepts, so llama.cpp never saw it: {e.Message}";
            var unreadable = new ScanFailure(ScanFailureCodes.ArtifactUnreadable, reason,
                new Dictionary<string, string> { ["file"] = file.Name, ["error"] = e.Error.ToString(), ["offset"] = e.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return outcome with { Failure = unreadable, RefusedBecause = reason };
        }
        var metadata = ModelMetadata.From(gguf);
        outcome = outcome with { Metadata = metadata };
        if (ModelPreflight.Check(gguf, file.Name) is { } refused)
            return outcome with { Failure = refused, RefusedBecause = refused.Message };
        if (VisionProjectors.FindBeside(file.FullName) is { } projector)
            outcome = outcome with { Vision = await VisionProjectors.ReadAsync(projector, cancellationToken).ConfigureAwait(false) };
        outcome = outcome with { LicenseFiles = await HubFolder.LicenseFilesBesideAsync(file.FullName, cancellationToken).ConfigureAwait(false) };

        ModelMeasurement measurement;
        await OneScanAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loading = progress is null ? null : new InlineProgress<double>(p => progress.Report(new ScanProgress(p < 1 ? ScanStage.Loading : ScanStage.Measuring, p < 1 ? p : 0)));
            // llama.cpp blocks its thread for the whole measurement; keep it off the caller's.
            if (request.Sweep)
            {
                var trials = progress is null ? null : new InlineProgress<double>(p => progress.Report(new ScanProgress(ScanStage.Measuring, p)));
                var sweep = await Task.Run(() => Measurement.Sweep.Run(file.FullName, request.Bench, metadata.Shape.BytesReadPerToken, metadata.Shape.Layers, trials, cancellationToken), cancellationToken).ConfigureAwait(false);
                measurement = sweep.Best.Measurement;
                outcome = outcome with { Sweep = sweep };
            }
            else
                measurement = await Task.Run(() => Measurer.Measure(file.FullName, request.Bench, loading, cancellationToken, metadata.Shape.BytesReadPerToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            OneScanAtATime.Release();
        }
        cancellationToken.ThrowIfCancellationRequested();

        // llama.cpp opened the file by path after it was hashed; a file replaced meanwhile is not the one we hashed.
        file.Refresh();
        if (!file.Exists || file.Length != size || file.LastWriteTimeUtc != written)
            return outcome with { Measurement = measurement, RefusedBecause = "The file changed while it was being scanned; the measurement may not be of the hashed artifact." };

        progress?.Report(new ScanProgress(ScanStage.Signing, 0));
        var predicate = Predicate(request, outcome with { Measurement = measurement }, clock.GetUtcNow());
        var envelope = Attestation.Sign(predicate, key);
        progress?.Report(new ScanProgress(ScanStage.Signing, 1));
        return outcome with { Measurement = measurement, Predicate = predicate, Envelope = envelope };
    }

    /// <summary>
    /// A model folder llama.cpp cannot run: hash every file into the manifest (its root digest is the artifact's digest,
    /// compared with the registered one), read config, model card, license files and shard headers, and sign an
    /// inspection-only attestation. Files changed between hashing and reading are not attested.
    /// </summary>
    private async Task<ScanOutcome> InspectFolderAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(request.Path);
        var outcome = new ScanOutcome { Path = folder.FullName, SizeBytes = 0 };
        FolderManifest manifest;
        try
        {
            long total = folder.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length), hashed = 0;
            var bytes = progress is null ? null : new InlineProgress<long>(n =>
                progress.Report(new ScanProgress(ScanStage.Hashing, total == 0 ? 1 : Math.Min(1, (double)Interlocked.Add(ref hashed, n) / total))));
            manifest = await FolderManifest.ComputeAsync(folder.FullName, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return Unreadable(outcome, folder.Name, "layout", e.Message);
        }
        progress?.Report(new ScanProgress(ScanStage.Hashing, 1));
        var stamps = Stamps(folder.FullName, manifest);
        outcome = outcome with { SizeBytes = manifest.SizeBytes, Sha256 = manifest.RootSha256, Manifest = manifest };
        if (request.RegisteredSha256 is { } registered && ArtifactHasher.CompareToRegistered(registered, manifest.RootSha256) is { } mismatch)
            return outcome with { Failure = mismatch, RefusedBecause = mismatch.Message };

        progress?.Report(new ScanProgress(ScanStage.Reading, 0));
        HubFolderInspection inspection;
        try
        {
            inspection = await HubFolder.InspectAsync(folder.FullName, manifest, cancellationToken).ConfigureAwait(false);
        }
        catch (HubFolderException e)
        {
            return Unreadable(outcome, e.File, e.Error, e.Message);
        }
        if (inspection.WeightFiles.Count == 0)
            return Unreadable(outcome with { Folder = inspection }, folder.Name, "NoWeights", "The folder holds no *.safetensors weights.");
        outcome = outcome with { Folder = inspection };
        if (!Stamps(folder.FullName, manifest).SequenceEqual(stamps))
            return outcome with { RefusedBecause = "A file of the folder changed while it was being scanned; the inspection may not be of the hashed files." };

        progress?.Report(new ScanProgress(ScanStage.Signing, 0));
        var predicate = FolderPredicate(request, outcome, clock.GetUtcNow());
        var envelope = Attestation.Sign(predicate, key);
        progress?.Report(new ScanProgress(ScanStage.Signing, 1));
        return outcome with { Predicate = predicate, Envelope = envelope };
    }

    private static ScanOutcome Unreadable(ScanOutcome outcome, string file, string error, string message)
    {
        var reason = $"Not a model folder the scanner can read: {message}";
        return outcome with
        {
            Failure = new ScanFailure(ScanFailureCodes.ArtifactUnreadable, reason, new Dictionary<string, string> { ["file"] = file, ["error"] = error }),
            RefusedBecause = reason,
        };
    }

    private static List<(long, DateTime)> Stamps(string folder, FolderManifest manifest) =>
        manifest.Resources.Select(r => new FileInfo(Path.Combine(folder, r.Name))).Select(f => f.Exists ? (f.Length, f.LastWriteTimeUtc) : (-1L, default)).ToList();

    internal static ModelFootprint FolderPredicate(ScanRequest request, ScanOutcome scan, DateTimeOffset scannedAt)
    {
        var manifest = scan.Manifest!;
        var folder = scan.Folder!;
        var config = folder.Config;
        var card = folder.Card;
        return new ModelFootprint
        {
            DeploymentId = request.DeploymentId,
            ScannedAt = scannedAt,
            Measurement = MeasurementKind.InspectionOnly,
            Artifact = new FootprintArtifact
            {
                Name = Path.GetFileName(scan.Path.TrimEnd(Path.DirectorySeparatorChar)),
                SizeBytes = manifest.SizeBytes,
                Sha256 = manifest.RootSha256,
                Format = ArtifactFormat.Safetensors,
                Manifest = new FootprintManifest
                {
                    Serialization = new FootprintSerialization
                    {
                        Method = FolderManifest.Method, HashType = FolderManifest.HashType, AllowSymlinks = true, IgnorePaths = FolderManifest.IgnorePaths,
                    },
                    Resources = manifest.Resources.Select(r => new FootprintResource { Name = r.Name, Algorithm = FolderManifest.HashType, Digest = r.Sha256 }).ToList(),
                },
            },
            Metadata = new FootprintMetadata
            {
                Architecture = config?.Architecture ?? config?.ModelType,
                Parameters = folder.Parameters,
                ActiveParameters = folder.ActiveParameters,
                FileType = config?.Dtype ?? string.Join("+", folder.TensorTypes.Keys),
                ContextLength = config?.ContextLength,
                Layers = config?.Layers,
                Attention = ModelShape.NameOf(ModelShape.AttentionOf(config?.KvLoraRank, config?.Heads, config?.KvHeads)),
                SlidingWindow = config?.SlidingWindow,
                Experts = config is { Experts: { } n, ExpertsUsed: { } k } ? new FootprintExperts { Count = n, Used = k, Shared = config.SharedExperts } : null,
                License = card?.License,
                LicenseName = card?.LicenseName,
                LicenseLink = card?.LicenseLink,
                BaseModels = card?.BaseModels ?? [],
                BaseModelRelation = card?.BaseModelRelation,
                LicenseFiles = LicenseFiles(folder.LicenseFiles),
            },
            Footprint = new FootprintMeasurement { ModelBytes = folder.WeightBytes },
            Environment = new FootprintEnvironment { ScannerVersion = Measurer.ScannerVersion },
        };
    }

    private static List<FootprintLicenseFile> LicenseFiles(IEnumerable<LicenseFileEvidence> evidence) =>
        evidence.Select(l => new FootprintLicenseFile { File = l.File, SizeBytes = l.SizeBytes, Sha256 = l.Sha256, Fingerprint = l.Fingerprint }).ToList();

    internal static ModelFootprint Predicate(ScanRequest request, ScanOutcome scan, DateTimeOffset scannedAt)
    {
        var m = scan.Measurement!;
        var meta = scan.Metadata!;
        var shape = meta.Shape;
        return new ModelFootprint
        {
            DeploymentId = request.DeploymentId,
            ScannedAt = scannedAt,
            Measurement = MeasurementKind.LlamaBench,
            Artifact = new FootprintArtifact { Name = Path.GetFileName(scan.Path), SizeBytes = scan.SizeBytes, Sha256 = scan.Sha256, Format = ArtifactFormat.Gguf },
            Metadata = new FootprintMetadata
            {
                Architecture = meta.Architecture,
                Name = meta.Name,
                Organization = meta.Organization,
                Parameters = meta.ParameterCount,
                FileType = meta.FileType,
                ContextLength = meta.ContextLength,
                License = meta.License,
                LicenseName = meta.LicenseName,
                LicenseLink = meta.LicenseLink,
                BaseModels = meta.BaseModels
                    .Select(b => b.Organization is { Length: > 0 } org && b.Name is { Length: > 0 } name ? $"{org}/{name}" : b.Name ?? b.RepoUrl)
                    .OfType<string>().ToList(),
                ActiveParameters = shape.ActiveParameters,
                Experts = shape.IsMixtureOfExperts ? new FootprintExperts { Count = shape.Experts!.Value, Used = shape.ExpertsUsed!.Value, Shared = shape.SharedExperts } : null,
                Attention = shape.AttentionName,
                SlidingWindow = shape.SlidingWindow,
                Layers = shape.Layers,
                Vision = scan.Vision is { } v
                    ? new FootprintVision { File = Path.GetFileName(v.Path), SizeBytes = v.SizeBytes, Sha256 = v.Sha256, ProjectorType = v.ProjectorType, Parameters = v.Parameters }
                    : null,
                LicenseFiles = LicenseFiles(scan.LicenseFiles),
            },
            Footprint = new FootprintMeasurement
            {
                ModelBytes = m.ModelBytes,
                ContextLength = m.ContextLength,
                DeviceBytes = m.DeviceBytes with { Measured = m.NvmlUsedBytes },
                HostPeakRssBytes = m.HostPeakRssBytes,
                Buffers = m.Buffers.Select(b => new FootprintBuffer(b.Buffer, b.Kind.ToString(), b.Bytes)).ToList(),
                BytesReadPerToken = m.BytesReadPerToken,
                BytesReadPerTokenBasis = m.BytesReadPerTokenBasis,
            },
            Throughput = m.Throughput,
            LoadSeconds = m.LoadSeconds,
            TimeToFirstTokenSeconds = m.TimeToFirstTokenSeconds,
            Environment = m.Environment,
            RooflineFraction = m.RooflineFraction,
            Sweep = scan.Sweep is { } sweep
                ? new FootprintSweep
                {
                    Criterion = Measurement.Sweep.Criterion,
                    Best = sweep.Best.Configuration,
                    Trials = sweep.Trials.Select(t => new FootprintTrial { Configuration = t.Configuration, Throughput = t.Measurement.Throughput, DeviceBytes = t.Measurement.DeviceBytes }).ToList(),
                }
                : null,
        };
    }
}
