using System.Security.Cryptography;
using System.Text;
using Microsoft.FeatureManagement.FeatureFilters;

namespace PatternTts.Router.Rollout;

/// <summary>The key a user is bucketed by: <c>X-Pattern-User</c>, else a hash of the bearer token, else the client address.</summary>
internal static class UserKey
{
    private static readonly object ItemKey = new();

    public static string Resolve(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is string key)
        {
            return key;
        }

        key = Compute(context.Request.Headers, context.Connection.RemoteIpAddress?.ToString());
        context.Items[ItemKey] = key;
        return key;
    }

    public static string Compute(IHeaderDictionary headers, string? remoteAddress)
    {
        var user = headers[Arms.UserHeaderName].ToString();
        if (!string.IsNullOrWhiteSpace(user))
        {
            return user.Trim();
        }

        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            // The token itself must not end up in telemetry or the targeting context, only a digest of it.
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(authorization.AsSpan(7).Trim().ToString()));
            return "token:" + Convert.ToHexStringLower(digest.AsSpan(0, 16));
        }

        return "ip:" + (remoteAddress ?? "unknown");
    }
}

/// <summary>Hands the current request's user key to the Targeting filter.</summary>
internal sealed class RolloutTargetingContextAccessor(IHttpContextAccessor httpContextAccessor) : ITargetingContextAccessor
{
    public ValueTask<TargetingContext> GetContextAsync()
    {
        var context = httpContextAccessor.HttpContext;
        return ValueTask.FromResult(new TargetingContext { UserId = context is null ? null : UserKey.Resolve(context) });
    }
}
