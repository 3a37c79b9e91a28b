using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;

namespace PatternTts.Router.Tests;

public sealed class ApiKeyFixture : RouterFixture
{
    public const string ApiKey = "router-api-key";

    protected override void ConfigureHost(IWebHostBuilder builder) => builder.UseSetting("Router:ApiKeys", ApiKey);
}

/// <summary>With Router:ApiKeys set, proxied API calls need a key; health and the admin API keep their own rules.</summary>
public sealed class ApiKeyTests(ApiKeyFixture fixture) : IClassFixture<ApiKeyFixture>
{
    [Fact]
    public async Task ProxiedCallsNeedAKeyAndNeverReachAnArmWithoutOne()
    {
        // Arrange
        fixture.Reset(0);
        using var withKey = fixture.Speech("keyed-user");
        withKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeyFixture.ApiKey);

        // Act
        using var refused = await fixture.Client.SendAsync(fixture.Speech("anonymous-user"));
        using var served = await fixture.Client.SendAsync(withKey);
        using var health = await fixture.Client.GetAsync("/health");
        using var admin = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout"));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = await ErrorShape.AssertAsync(refused);
        Assert.Equal("missing_api_key", error.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("keyed-user", Assert.Single(fixture.Legacy.Requests).User);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}

/// <summary>Guessing the admin key is slowed down per client address.</summary>
public sealed class AdminKeyLockoutTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    [Fact]
    public async Task RepeatedWrongAdminKeysAreRefusedWithRetryAfterEvenWithTheRightKey()
    {
        // Arrange
        for (var i = 0; i < Microsoft.Extensions.Hosting.ApiKeys.FailuresPerWindow; i++)
        {
            using var failed = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout", key: $"guess-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // Act
        using var refused = await fixture.Client.SendAsync(fixture.Admin(HttpMethod.Get, "/admin/rollout"));

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("rate_limit_exceeded", (await ErrorShape.AssertAsync(refused)).GetProperty("code").GetString());
    }
}
