using Governance.Scanner.Artifacts;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Governance.Attestations;
using Microsoft.Extensions.Logging;

namespace Governance.Scanner.Host;

/// <summary>The model of a leased deployment, as <c>POST /scans/lease</c> sends it (only what the scanner uses).</summary>
internal sealed record LeasedModel(string Name, string ArtifactSha256, string? DistributedName, int? ContextLength);

/// <summary>A deployment leased to this scanner until <see cref="LeaseExpiresAt"/>; left alone, the lease lapses and it is offered again.</summary>
internal sealed record Lease(Guid LeaseId, DateTimeOffset LeaseExpiresAt, Guid DeploymentId, string DeploymentName, LeasedModel Model);

/// <summary>The Api refused a request (4xx): retrying the same request cannot help. Carries the problem details.</summary>
internal sealed class ApiRefusedException(HttpStatusCode status, string? title, string? detail)
    : Exception($"{(int)status} {title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string? Title { get; } = title;
}

/// <summary>A 5xx, a 429 or a broken connection: worth another try after a while.</summary>
internal sealed class ApiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The scanner's two calls to the Api, over a plain <see cref="HttpClient"/> (its base address is the Api), with the
/// bearer token on each request and <see cref="Retry"/> around transient failures.
/// </summary>
internal sealed class ApiClient(HttpClient http, string? token, Retry retry, ILogger logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// The next deployment to scan, or null when the Api has none (204). The request carries this host's environment
    /// (<c>{"environment": {…}}</c>, the predicate's own <see cref="FootprintEnvironment"/>), so the Api can re-lease a
    /// deployment whose attestation was made on another driver, CUDA, llama.cpp build or device.
    /// </summary>
    public Task<Lease?> LeaseNextAsync(FootprintEnvironment environment, string? keyId, CancellationToken cancellationToken) => retry.RunAsync(async ct =>
    {
        using var request = Request(HttpMethod.Post, "scans/lease");
        request.Content = JsonContent.Create(new LeaseRequest(environment, keyId), options: Json);
        using var response = await Send(request, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent) return null;
        await ThrowUnlessSuccess(response, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<Lease>(Json, ct).ConfigureAwait(false)
            ?? throw new ApiUnavailableException("POST /scans/lease returned an empty body");
    }, IsTransient, LogRetry("POST /scans/lease"), cancellationToken);

    /// <summary>The environment this host measures on, and the key it signs with: the Api re-leases what it attested elsewhere.</summary>
    private sealed record LeaseRequest(FootprintEnvironment Environment, string? KeyId);

    /// <summary>
    /// Posts the envelope. A 409 "replayed" after a retry means an earlier attempt got through even though its answer
    /// was lost, so it counts as recorded.
    /// </summary>
    public Task<bool> PostAttestationAsync(Guid deploymentId, Dsse.Envelope envelope, CancellationToken cancellationToken)
    {
        var attempts = 0;
        return retry.RunAsync(async ct =>
        {
            attempts++;
            using var request = Request(HttpMethod.Post, $"deployments/{deploymentId}/attestations");
            request.Content = JsonContent.Create(envelope);
            using var response = await Send(request, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Conflict && attempts > 1)
            {
                logger.LogWarning("Deployment {DeploymentId}: the Api already had this attestation (an earlier attempt went through)", deploymentId);
                return true;
            }
            await ThrowUnlessSuccess(response, ct).ConfigureAwait(false);
            return true;
        }, IsTransient, LogRetry($"POST /deployments/{deploymentId}/attestations"), cancellationToken);
    }

    /// <summary>Tells the Api the artifact could not be attested (artifact-mismatch, artifact-unreadable), so the deployment shows it.</summary>
    public Task<bool> PostScanFailureAsync(Guid deploymentId, Guid leaseId, ScanFailure failure, CancellationToken cancellationToken) =>
        retry.RunAsync(async ct =>
        {
            using var request = Request(HttpMethod.Post, $"deployments/{deploymentId}/scan-failures");
            request.Content = JsonContent.Create(new { leaseId, code = failure.Code, message = failure.Message, facts = failure.Facts });
            using var response = await Send(request, ct).ConfigureAwait(false);
            await ThrowUnlessSuccess(response, ct).ConfigureAwait(false);
            return true;
        }, IsTransient, LogRetry($"POST /deployments/{deploymentId}/scan-failures"), cancellationToken);

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnavailableException($"{request.Method} {request.RequestUri}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ApiUnavailableException($"{request.Method} {request.RequestUri} timed out", e); // HttpClient.Timeout
        }
    }

    private static async Task ThrowUnlessSuccess(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        if (status >= 500 || status == 429 || status == 408)
            throw new ApiUnavailableException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {status}");
        string? title = null, detail = null;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            // not a problem document: the status says enough
        }
        throw new ApiRefusedException(response.StatusCode, title ?? response.ReasonPhrase, detail);
    }

    private static bool IsTransient(Exception e) => e is ApiUnavailableException;

    private Action<Exception, TimeSpan> LogRetry(string call) =>
        (e, delay) => logger.LogWarning("{Call} failed ({Reason}); retrying in {Delay:F1} s", call, e.Message, delay.TotalSeconds);
}
