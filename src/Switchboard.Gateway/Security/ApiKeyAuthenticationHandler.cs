using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Contracts.V1;

namespace Switchboard.Gateway.Security;

/// <summary>
/// ASP.NET Core authentication of the API key in <c>authorization: Bearer &lt;key&gt;</c>. It runs before the gRPC
/// endpoint, so a call without a valid key is refused UNAUTHENTICATED before its message is read (garbage bytes
/// included), and one whose role the service does not take PERMISSION_DENIED. Both answers are gRPC responses
/// (trailers only, the status in the headers), which every gRPC and gRPC-Web client reads as such.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    GatewayAccess access) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "SwitchboardApiKey";

    private const string FailureItem = "switchboard.authentication-failure";

    private static readonly ConditionalWeakTable<Caller, ClaimsPrincipal> Principals = new();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (!access.TryAuthenticate(header, out var caller, out var error))
        {
            Context.Items[FailureItem] = error;
            return Task.FromResult(header is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(error));
        }

        Context.Items[typeof(Caller)] = caller;
        // One principal per key, made on its first call: a key's claims never change, and every call asks.
        var principal = Principals.GetValue(caller, static c => new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, c.Name), new Claim(ClaimTypes.Role, RoleName(c.Role))], SchemeName)));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteStatusAsync(Context, StatusCode.Unauthenticated, Context.Items[FailureItem] as string ?? "no API key: send 'authorization: Bearer <key>' metadata");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        // The path is /switchboard.v1.Service/Method; the message names the service as the docs do.
        var service = (Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty)
            .Replace(SwitchboardApi.Package + ".", string.Empty, StringComparison.Ordinal);
        var message = Context.Items[typeof(Caller)] is Caller caller
            ? GatewayAuthorization.Refusal(service, caller.Role)
            : $"this key may not use {service}";
        return WriteStatusAsync(Context, StatusCode.PermissionDenied, message);
    }

    /// <summary>The role's name as the configuration and docs/api.md write it: adapter, agent, supervisor, admin.</summary>
    public static string RoleName(GatewayRole role) => role.ToString().ToLowerInvariant();

    /// <summary>A trailers-only gRPC response: HTTP 200, the gRPC content type the call used, the status in the headers.</summary>
    private static Task WriteStatusAsync(HttpContext http, StatusCode status, string message)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var contentType = http.Request.ContentType;
        response.ContentType = contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            ? contentType.Split(';')[0]
            : "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        return Task.CompletedTask;
    }

    /// <summary>grpc-message's encoding (PROTOCOL-HTTP2.md): UTF-8, with bytes outside 0x20-0x7E and '%' as %XX.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }
}
