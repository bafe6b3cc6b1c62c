using JasperFx.Events;
using Microsoft.Extensions.Options;

namespace Governance.Api.Infrastructure;

/// <summary>
/// Every setting of Governance, under the <c>Governance</c> configuration section (environment: <c>Governance__Scans__LeaseMinutes</c>).
/// Bound once and validated at start-up: a bad value stops the Api with a message that names the key.
/// </summary>
public sealed class GovernanceOptions
{
    public const string Section = "Governance";

    /// <summary>Data folder for the local PostgreSQL cluster and the generated signing key.</summary>
    public string DataDir { get; set; } = ".governance";

    /// <summary>The policies folder (licenses/, company-rules.yaml); default: the copy beside the binaries.</summary>
    public string? PoliciesDir { get; set; }

    public AuthOptions Auth { get; set; } = new();
    public ScanOptions Scans { get; set; } = new();
    public ReportOptions Reports { get; set; } = new();
    public EventOptions Events { get; set; } = new();
    public UiOptions Ui { get; set; } = new();
    public ReassessmentOptions Reassessment { get; set; } = new();

    public string DataPath => ResolveDataPath(DataDir, Directory.GetCurrentDirectory());

    /// <summary>
    /// A relative data folder belongs to the repository when run from a source checkout (`dotnet run` starts in the
    /// project folder, and the Api and its <c>token</c> command must find the same signing key wherever they are started
    /// from); elsewhere it is relative to the working directory.
    /// </summary>
    public static string ResolveDataPath(string dataDir, string workingDirectory)
    {
        if (Path.IsPathRooted(dataDir)) return Path.GetFullPath(dataDir);
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, dataDir));
        return Path.GetFullPath(Path.Combine(workingDirectory, dataDir));
    }

    /// <summary>For what runs before the host exists (the <c>token</c> command, locating the policies): the same binding and checks.</summary>
    public static GovernanceOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<GovernanceOptions>() ?? new GovernanceOptions();
        var result = new Validator().Validate(null, options);
        if (result.Failed) throw new OptionsValidationException(Section, typeof(GovernanceOptions), result.Failures);
        return options;
    }

    public sealed class Validator : IValidateOptions<GovernanceOptions>
    {
        public ValidateOptionsResult Validate(string? name, GovernanceOptions o)
        {
            var failures = new List<string>();
            void Check(bool ok, string key, string rule, object? value)
            {
                if (!ok) failures.Add($"{Section}:{key} {rule} (it is '{value}').");
            }

            Check(o.DataDir.Length > 0, "DataDir", "must name a folder", o.DataDir);
            Check(o.Scans.LeaseMinutes is >= 1 and <= 24 * 60, "Scans:LeaseMinutes", "must be between 1 and 1440", o.Scans.LeaseMinutes);
            Check(o.Scans.RetryFailedAfterHours is >= 0 and <= 24 * 365, "Scans:RetryFailedAfterHours", "must be between 0 and 8760", o.Scans.RetryFailedAfterHours);
            Check(o.Scans.AttestationMaxAgeDays is >= 1 and <= 3650, "Scans:AttestationMaxAgeDays", "must be between 1 and 3650", o.Scans.AttestationMaxAgeDays);
            Check(o.Scans.DriftTolerancePercent is >= 0 and <= 100, "Scans:DriftTolerancePercent", "must be between 0 and 100", o.Scans.DriftTolerancePercent);
            Check(o.Reassessment.BatchSize is >= 1 and <= 5000, "Reassessment:BatchSize", "must be between 1 and 5000", o.Reassessment.BatchSize);
            Check(o.Reassessment.BatchesInFlight is >= 1 and <= 16, "Reassessment:BatchesInFlight", "must be between 1 and 16", o.Reassessment.BatchesInFlight);
            Check(o.Reassessment.PauseBetweenBatchesMs is >= 0 and <= 60_000, "Reassessment:PauseBetweenBatchesMs", "must be between 0 and 60000", o.Reassessment.PauseBetweenBatchesMs);
            Check(o.Events.AppendMode is "quick" or "rich", "Events:AppendMode", "must be 'quick' or 'rich'", o.Events.AppendMode);
            if (o.Auth.SigningKey is { Length: > 0 } key)
            {
                var bytes = new byte[key.Length];
                var base64 = Convert.TryFromBase64String(key, bytes, out var length);
                Check(base64, "Auth:SigningKey", "must be base64", "(hidden)");
                Check(!base64 || length >= 32, "Auth:SigningKey", "must hold at least 32 bytes (256 bits)", $"{length} bytes");
            }
            if (o.Auth.Authority is { Length: > 0 } authority)
            {
                Check(Uri.TryCreate(authority, UriKind.Absolute, out _), "Auth:Authority", "must be an absolute URL", authority);
                Check(o.Auth.Audience is { Length: > 0 }, "Auth:Audience", "is required with Governance:Auth:Authority", o.Auth.Audience);
                Check(o.Ui.ClientId is { Length: > 0 }, "Ui:ClientId", "is required with Governance:Auth:Authority (the console's client at the identity provider)", o.Ui.ClientId);
                Check(!o.Ui.DevSignIn, "Ui:DevSignIn", "can't be true with Governance:Auth:Authority: the console then signs in with the identity provider only", o.Ui.DevSignIn);
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

public sealed class AuthOptions
{
    /// <summary>Base64 key (at least 32 bytes) for locally issued tokens; generated into the data folder when absent.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A production token issuer (OpenID Connect); tokens carry the role in a <c>role</c> claim.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    public bool HasAuthority => Authority is { Length: > 0 };
}

/// <summary>The console (web UI under /ui).</summary>
public sealed class UiOptions
{
    /// <summary>The console's OpenID Connect client at <see cref="AuthOptions.Authority"/> (authorization code + PKCE).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The local sign-in page, normally on only while the Api listens on loopback addresses, on anyway.</summary>
    public bool DevSignIn { get; set; }
}

public sealed class ScanOptions
{
    /// <summary>How long a scanner's lease on a deployment lasts.</summary>
    public int LeaseMinutes { get; set; } = 30;

    /// <summary>How long a deployment whose scan failed waits before it is offered to scanners again.</summary>
    public int RetryFailedAfterHours { get; set; } = 24;

    /// <summary>An attestation older than this is leased for a new scan: it speaks of an environment that may be gone.</summary>
    public int AttestationMaxAgeDays { get; set; } = 90;

    /// <summary>How far a new measurement may fall behind (throughput) or grow past (device memory) the previous one before it is drift.</summary>
    public double DriftTolerancePercent { get; set; } = 10;

    public TimeSpan AttestationMaxAge => TimeSpan.FromDays(AttestationMaxAgeDays);
    public double DriftTolerance => DriftTolerancePercent / 100;

    public TimeSpan Lease => TimeSpan.FromMinutes(LeaseMinutes);
    public TimeSpan RetryFailedAfter => TimeSpan.FromHours(RetryFailedAfterHours);
}

public sealed class ReportOptions
{
    /// <summary>Folder with DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf; default: the system font folders.</summary>
    public string? FontsDir { get; set; }
}

/// <summary>How the background re-assessment (after a company, catalog or scanner-key change) loads the database.</summary>
public sealed class ReassessmentOptions
{
    /// <summary>Deployments re-assessed per transaction: larger is faster, smaller holds locks and memory for less time.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Batches written at once, each in a transaction of its own and committed in order: while PostgreSQL writes some,
    /// the Api prepares the next. One is one at a time. Each one more holds another batch's documents in the Api's memory
    /// and a connection; on two cores shared with PostgreSQL, three were no faster than two and took the Api past
    /// 400 MB at 100,000 deployments (docs/performance.md). A database server of its own with more cores may want more.
    /// </summary>
    public int BatchesInFlight { get; set; } = 2;

    /// <summary>A pause after each batch, to leave the database to the requests while a large portfolio is re-assessed.</summary>
    public int PauseBetweenBatchesMs { get; set; }
}

public sealed class EventOptions
{
    /// <summary><c>quick</c> (default) or <c>rich</c>: Marten's event append mode (see docs/performance.md).</summary>
    public string AppendMode { get; set; } = "quick";

    public EventAppendMode Mode => AppendMode == "rich" ? EventAppendMode.Rich : EventAppendMode.QuickWithServerTimestamps;
}
