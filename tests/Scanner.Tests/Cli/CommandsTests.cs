using System.Text;
using Governance.Scanner.Cli;
using Governance.Scanner.Host;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Host;
using Governance.Scanner.Tests.Measurement;
using Spectre.Console;

namespace Governance.Scanner.Tests.Cli;

/// <summary>The command handlers called in-process, as `dotnet run --project src/Scanner -- …` would call them.</summary>
[Collection(SerialNative.Name)]
public sealed class CommandsTests(ModelFolder models) : IClassFixture<ModelFolder>
{
    private readonly StringWriter _out = new();

    private IAnsiConsole Console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_out),
        });
        console.Profile.Width = 240; // a digest on one line
        return console;
    }

    private string KeyPath => Path.Combine(models.Dir, "cli-keys", "scanner-key.pem");

    private Task<int> Scan(params string[] args) =>
        Commands.ScanAsync([.. args, "--key-path", KeyPath, "--threads", "2"], Console(), new ScannerOptions(), TimeProvider.System, CancellationToken.None);

    private string PublicKey()
    {
        var pem = Path.Combine(models.Dir, "scanner.pub.pem");
        File.WriteAllText(pem, ScannerKey.LoadOrCreate(KeyPath).PublicKeyPem);
        return pem;
    }

    [Fact]
    public async Task scan_writes_a_signed_envelope_that_verify_accepts()
    {
        var model = models.Write("cli.gguf", new() { License = "mit" });
        var json = Path.Combine(models.Dir, "cli.envelope.json");

        var scanned = await Scan(model, "--pp", "16", "--tg", "4", "-r", "2", "--ctx", "128", "--json", json);

        Assert.True(scanned == Commands.Ok, _out.ToString());
        var report = _out.ToString();
        Assert.Contains("pp16", report);
        Assert.Contains("tg4", report);
        Assert.Contains(ModelFolder.Sha256(model), report);
        Assert.Contains("KvCache", report);
        Assert.Equal(Commands.Ok, Commands.Verify([json, "--key", PublicKey()], Console()));
        Assert.Contains("valid:", _out.ToString());
        var verdict = Attestation.Verify(File.ReadAllText(json), File.ReadAllText(PublicKey()));
        Assert.Equal(Guid.Empty, verdict.Statement!.Predicate.DeploymentId); // no deployment behind a CLI scan
    }

    [Fact]
    public async Task verify_fails_for_a_tampered_envelope_and_for_another_key()
    {
        var model = models.Write("cli-tamper.gguf", new() { Seed = 5 });
        var json = Path.Combine(models.Dir, "tamper.envelope.json");
        Assert.Equal(Commands.Ok, await Scan(model, "--pp", "8", "--tg", "0", "-r", "1", "--ctx", "64", "--json", json));

        var envelope = File.ReadAllText(json);
        var payload = System.Text.Json.JsonDocument.Parse(envelope).RootElement.GetProperty("payload").GetString()!;
        var statement = Encoding.UTF8.GetString(Convert.FromBase64String(payload)).Replace("\"test\":\"pp8\"", "\"test\":\"pp9\"");
        var tampered = Path.Combine(models.Dir, "tampered.json");
        File.WriteAllText(tampered, envelope.Replace(payload, Convert.ToBase64String(Encoding.UTF8.GetBytes(statement))));
        Assert.NotEqual(envelope, File.ReadAllText(tampered));

        Assert.Equal(Commands.Failed, Commands.Verify([tampered, "--key", PublicKey()], Console()));
        Assert.Contains("altered", _out.ToString());

        var stranger = Path.Combine(models.Dir, "stranger.pub.pem");
        using (var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            File.WriteAllText(stranger, other.ExportSubjectPublicKeyInfoPem());
        Assert.Equal(Commands.Failed, Commands.Verify([json, "--key", stranger], Console()));
    }

    [Fact]
    public async Task pp_0_skips_prompt_processing()
    {
        var model = models.Write("cli-tg-only.gguf", new() { Seed = 6 });

        Assert.Equal(Commands.Ok, await Scan(model, "--pp", "0", "--tg", "4", "-r", "1", "--ctx", "64"));

        Assert.Contains("tg4", _out.ToString());
        Assert.DoesNotContain("pp0", _out.ToString());
    }

    [Theory]
    [InlineData("--pp", "-1")]
    [InlineData("--bogus", "1")]
    [InlineData("--tg", "many")]
    public async Task bad_arguments_are_a_usage_error(string option, string value)
    {
        Assert.Equal(Commands.Usage, await Scan("x.gguf", option, value));
    }

    [Fact]
    public async Task both_tests_zero_is_a_usage_error() => Assert.Equal(Commands.Usage, await Scan("x.gguf", "--pp", "0", "--tg", "0"));

    [Fact]
    public void verify_without_a_key_is_a_usage_error() => Assert.Equal(Commands.Usage, Commands.Verify(["envelope.json"], Console()));

    [Fact]
    public void key_prints_the_public_key_pem()
    {
        Assert.Equal(Commands.Ok, Commands.Key(["--key-path", KeyPath], Console(), new ScannerOptions()));

        Assert.Contains("-----BEGIN PUBLIC KEY-----", _out.ToString());
        Assert.DoesNotContain("PRIVATE", _out.ToString());
    }
}
