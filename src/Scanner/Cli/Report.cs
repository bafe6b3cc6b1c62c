using System.Globalization;
using Governance.Scanner.Host;
using Spectre.Console;

namespace Governance.Scanner.Cli;

/// <summary>The scan report as Spectre.Console tables: artifact (and why it was not attested), throughput, footprint, environment.</summary>
internal static class Report
{
    public static void Write(IAnsiConsole console, ScanOutcome scan)
    {
        var artifact = new Table().Border(TableBorder.Rounded).Title("[bold]Artifact[/]").HideHeaders().AddColumns("", "");
        Row(artifact, "file", scan.Path);
        Row(artifact, "size", Bytes(scan.SizeBytes));
        Row(artifact, "sha256", scan.Sha256 ?? "(not hashed)");
        if (scan.Metadata is { } meta)
        {
            Row(artifact, "architecture", meta.Architecture);
            Row(artifact, "name", meta.Name);
            Row(artifact, "organization", meta.Organization);
            var shape = meta.Shape;
            Row(artifact, "parameters", meta.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)
                + (shape.IsMixtureOfExperts ? $" ({shape.ActiveParameters.ToString("N0", CultureInfo.InvariantCulture)} active per token)" : ""));
            Row(artifact, "experts", shape.IsMixtureOfExperts ? $"{shape.ExpertsUsed} of {shape.Experts} routed per token" + (shape.SharedExperts is > 0 ? $", {shape.SharedExperts} shared" : "") : null);
            Row(artifact, "attention", shape.AttentionName is { } attention
                ? $"{attention}, {shape.Heads} heads / {shape.KvHeads} KV, {shape.Layers} layers" + (shape.SlidingWindow is { } w ? $", sliding window {w}" : "")
                : null);
            Row(artifact, "file type", meta.FileType);
            Row(artifact, "training context", meta.ContextLength?.ToString(CultureInfo.InvariantCulture));
            Row(artifact, "license", string.Join(" · ", new[] { meta.License, meta.LicenseName, meta.LicenseLink }.Where(s => !string.IsNullOrWhiteSpace(s))));
            Row(artifact, "base models", string.Join(", ", meta.BaseModels.Select(b => b.Organization is null ? b.Name ?? b.RepoUrl : $"{b.Organization}/{b.Name}")));
        }
        if (scan.Manifest is { } manifest)
            Row(artifact, "manifest", $"{manifest.Resources.Count} files, root sha256 {manifest.RootSha256} (OpenSSF model-signing 'files' serialization)");
        if (scan.Folder is { } folder)
        {
            Row(artifact, "architecture", folder.Config?.Architecture ?? folder.Config?.ModelType);
            Row(artifact, "parameters", folder.Parameters.ToString("N0", CultureInfo.InvariantCulture)
                + (folder.ActiveParameters != folder.Parameters ? $" ({folder.ActiveParameters.ToString("N0", CultureInfo.InvariantCulture)} active per token)" : ""));
            Row(artifact, "weights", $"{folder.WeightFiles.Count} safetensors shards, {Bytes(folder.WeightBytes)}, {string.Join(", ", folder.TensorTypes.Select(t => $"{t.Value} {t.Key}"))}");
            Row(artifact, "license (card)", string.Join(" · ", new[] { folder.Card?.License, folder.Card?.LicenseName, folder.Card?.LicenseLink }.Where(s => !string.IsNullOrWhiteSpace(s))));
            Row(artifact, "base models", folder.Card is { } card ? string.Join(", ", card.BaseModels) + (card.BaseModelRelation is { } r ? $" ({r})" : "") : null);
            foreach (var license in folder.LicenseFiles)
                Row(artifact, $"license file {license.File}", $"sha256 {license.Sha256}, normalised text sha256 {license.Fingerprint?.NormalizedSha256 ?? "(not text)"}");
            Row(artifact, "measurement", "inspection only: llama.cpp cannot run safetensors, so there is no throughput or footprint");
        }
        if (scan.Vision is { } vision)
            Row(artifact, "vision projector", $"{Path.GetFileName(vision.Path)} ({vision.ProjectorType}, {vision.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters, sha256 {vision.Sha256}): inspected, not measured");
        console.Write(artifact);

        if (scan.Failure is { } f)
            console.MarkupLineInterpolated($"[red]{f.Code}[/]: {f.Message}");

        if (scan.Measurement is { } m)
        {
            var throughput = new Table().Border(TableBorder.Rounded).Title("[bold]Throughput[/] (llama-bench method)")
                .AddColumn("test").AddColumn(new TableColumn("t/s").RightAligned()).AddColumn("samples (t/s)");
            foreach (var t in m.Throughput)
                throughput.AddRow(t.Test ?? "", $"{t.MeanTokensPerSecond:F2} ± {t.StddevTokensPerSecond:F2}",
                    string.Join(", ", t.SamplesTokensPerSecond.Select(s => s.ToString("F1", CultureInfo.InvariantCulture))));
            console.Write(throughput);

            if (scan.Sweep is { } sweep)
            {
                var grid = new Table().Border(TableBorder.Rounded).Title("[bold]Sweep[/] (best by tg, then pp)")
                    .AddColumn("n_ubatch").AddColumn("flash attention").AddColumn("GPU layers").AddColumn(new TableColumn("t/s").RightAligned()).AddColumn("");
                foreach (var trial in sweep.Trials)
                    grid.AddRow(trial.Configuration.UBatch.ToString(CultureInfo.InvariantCulture), trial.Configuration.FlashAttention switch { true => "on", false => "off", null => "auto" },
                        trial.Configuration.GpuLayers?.ToString(CultureInfo.InvariantCulture) ?? "all",
                        string.Join(", ", trial.Measurement.Throughput.Select(t => $"{t.Test} {t.MeanTokensPerSecond:F1}")), ReferenceEquals(trial, sweep.Best) ? "best" : "");
                console.Write(grid);
            }

            var footprint = new Table().Border(TableBorder.Rounded).Title("[bold]Footprint[/]").HideHeaders().AddColumns("", "");
            Row(footprint, "load", $"{m.LoadSeconds:F3} s (context {m.ContextSeconds:F3} s)");
            Row(footprint, "time to first token", m.TimeToFirstTokenSeconds is { } ttft ? $"{ttft * 1000:F1} ms" : null);
            Row(footprint, "model", $"{Bytes(m.ModelBytes)}, {m.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters ({m.Description})");
            Row(footprint, "context", m.ContextLength.ToString(CultureInfo.InvariantCulture));
            Row(footprint, "device weights", Bytes(m.DeviceBytes.Weights));
            Row(footprint, "device KV cache", Bytes(m.DeviceBytes.KvCache));
            Row(footprint, "device compute", Bytes(m.DeviceBytes.Compute));
            Row(footprint, "device total", Bytes(m.DeviceBytes.Total) + (m.NvmlUsedBytes is null ? " (llama.cpp buffers)" : " (NVML)"));
            Row(footprint, "host peak RSS", m.HostPeakRssBytes is { } rss ? Bytes(rss) : null);
            Row(footprint, "bytes read per token", $"{Bytes(m.BytesReadPerToken)} ({m.BytesReadPerTokenBasis})");
            Row(footprint, "roofline (tg)", m.RooflineFraction is { } r ? $"{r:P1} of {m.BandwidthBytesPerSecond / 1e9:F0} GB/s" : null);
            foreach (var b in m.Buffers) Row(footprint, $"  {b.Buffer} {b.Kind}", Bytes(b.Bytes));
            console.Write(footprint);

            var env = m.Environment;
            var environment = new Table().Border(TableBorder.Rounded).Title("[bold]Environment[/]").HideHeaders().AddColumns("", "");
            Row(environment, "backend", env.Backend);
            Row(environment, "device", env.Device);
            Row(environment, "driver / CUDA", env.Driver is null ? null : $"{env.Driver} / {env.CudaVersion}");
            Row(environment, "cpu", env.Cpu);
            Row(environment, "threads", env.Threads?.ToString(CultureInfo.InvariantCulture));
            Row(environment, "llama.cpp", env.LlamaCppBuild);
            Row(environment, "scanner", env.ScannerVersion);
            console.Write(environment);
        }
    }

    private static void Row(Table table, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) table.AddRow(new Text(name), new Text(value));
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F2} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
