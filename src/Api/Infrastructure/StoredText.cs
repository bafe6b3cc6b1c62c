using System.Text.Json;
using System.Text.Json.Serialization;
using Governance.Attestations;
using Microsoft.AspNetCore.Mvc;

namespace Governance.Api.Infrastructure;

/// <summary>Every string of every JSON request body passes <see cref="StoredText.Refusal"/>; the JSON path names the field in the 400.</summary>
public sealed class StoredTextJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String && reader.TokenType != JsonTokenType.PropertyName)
            throw new JsonException($"Expected a string, found {reader.TokenType}.");
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses escaped lone surrogates ("\ud800") when it unescapes them.
            throw new JsonException("Contains a lone surrogate, which is not Unicode text and cannot be stored.");
        }
        return StoredText.Refusal(text) is { } why ? throw new JsonException(why) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options)!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}

/// <summary>An upload limit for one route, in place of the web server's default (30 MB); over it: a 413 problem stating it.</summary>
public sealed record RequestBodyLimit(long Bytes);

/// <summary>
/// What every request must satisfy before an endpoint binds it, answered as RFC 9457 problems naming the header, the
/// query parameter or the form field: a body is JSON, a form or a file in UTF-8 (a charset .NET cannot decode would
/// fail deep in binding), and no path, query or form text carries characters that cannot be stored.
/// </summary>
public sealed class RequestGuard(RequestDelegate next)
{
    /// <summary>What the product answers itself, with a problem body; Kestrel's own limits sit above these (see <see cref="ConfigureKestrel"/>).</summary>
    public const int MaxTargetBytes = 8 * 1024, MaxHeaderBytes = 32 * 1024;

    /// <summary>
    /// Kestrel refuses an over-long request line or header block before any application code runs, with an empty body.
    /// Its limits are set above the product's so that the product answers first, with a problem naming what was too long;
    /// only requests past Kestrel's (4x larger) limits, or with bytes that are not HTTP, still get its bare refusal.
    /// </summary>
    public static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions options)
    {
        options.Limits.MaxRequestLineSize = 4 * MaxTargetBytes;
        options.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
        if (target > MaxTargetBytes)
        {
            await Refuse(context, 414, "URI too long", request.QueryString.HasValue ? "query" : "path", $"The path and query may hold at most {MaxTargetBytes:N0} characters.");
            return;
        }
        var headerBytes = 0;
        (string Name, int Bytes) largest = ("", 0);
        foreach (var (name, values) in request.Headers)
        {
            var bytes = name.Length + values.Sum(v => v?.Length ?? 0) + 4;
            headerBytes += bytes;
            if (bytes > largest.Bytes) largest = (name, bytes);
        }
        if (headerBytes > MaxHeaderBytes)
        {
            await Refuse(context, 431, "Request headers too large", largest.Name,
                $"The headers may hold at most {MaxHeaderBytes / 1024} KiB; '{largest.Name}' alone holds {largest.Bytes:N0} bytes.");
            return;
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>() is { } limit)
        {
            if (request.ContentLength > limit.Bytes)
            {
                await Refuse(context, 413, "Too large", "body", $"At most {limit.Bytes >> 20} MiB.");
                return;
            }
            // The server's own limit is raised (or lowered) to this route's, so there is one limit and the 413 says it.
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit.Bytes;
        }
        if (request.ContentType is { Length: > 0 } contentType)
        {
            if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
            {
                await Refuse(context, 415, "Unsupported media type", "Content-Type", $"'{contentType}' is not a media type.");
                return;
            }
            if (media.Charset is { Length: > 0 } charset && !IsUtf8(charset.ToString()))
            {
                await Refuse(context, 415, "Unsupported media type", "Content-Type",
                    $"The charset '{charset}' is not supported: send UTF-8 (or leave the charset out).");
                return;
            }
        }
        // A body of a type the operation does not read: say which it reads, naming the header (the framework's own 415 is bare).
        if ((request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts
            && !Accepts(accepts.ContentTypes, request.ContentType))
        {
            await Refuse(context, 415, "Unsupported media type", "Content-Type",
                $"{(request.ContentType is null ? "No Content-Type was sent" : $"'{request.ContentType}' is not read here")}: send {string.Join(" or ", accepts.ContentTypes)}.");
            return;
        }

        if (StoredText.Refusal(request.Path.Value) is { } pathWhy)
        {
            await Refuse(context, 400, "Invalid path", "path", pathWhy);
            return;
        }
        foreach (var (name, values) in request.Query)
        {
            var why = StoredText.Refusal(name) ?? values.Select(v => StoredText.Refusal(v)).FirstOrDefault(w => w is not null);
            if (why is not null)
            {
                await Refuse(context, 400, "Invalid query", SafeName(name), why);
                return;
            }
        }
        if (request.HasFormContentType && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException ex)
            {
                await Refuse(context, 400, "Malformed form", "form", ex.Message);
                return;
            }
            foreach (var (name, values) in form)
            {
                var why = StoredText.Refusal(name) ?? values.Select(v => StoredText.Refusal(v)).FirstOrDefault(w => w is not null);
                if (why is not null)
                {
                    await Refuse(context, 400, "Invalid form", SafeName(name), why);
                    return;
                }
            }
        }
        await next(context);
    }

    private static bool Accepts(IReadOnlyList<string> accepted, string? contentType)
    {
        if (contentType is null || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var sent)) return false;
        return accepted.Any(a => a == "*/*" || Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(a, out var media) && sent.IsSubsetOf(media)
            || a.EndsWith("json", StringComparison.Ordinal) && sent.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsUtf8(string charset) => charset.Trim('"').ToLowerInvariant() is "utf-8" or "utf8" or "us-ascii";

    /// <summary>A name to echo back: with its unstorable characters escaped, so the problem itself is well-formed.</summary>
    private static string SafeName(string name) => StoredText.Refusal(name) is null ? name : Uri.EscapeDataString(name);

    /// <summary>A refusal in the shape FastEndpoints gives field errors: <c>errors: [{name, reason}]</c>.</summary>
    public static Task Refuse(HttpContext context, int status, string title, string field, string reason)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = $"{field}: {reason}", Instance = context.Request.Path };
        problem.Extensions["errors"] = new[] { new { name = field, reason } };
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
