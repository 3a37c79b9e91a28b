using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Router.Tests;

/// <summary>
/// Statistics over thousands of users go straight to the router's own <see cref="ArmSelector"/> (FeatureManagement's
/// Targeting filter behind it); <see cref="RoutingTests"/> checks that HTTP traffic follows the same decisions.
/// </summary>
public sealed class ArmSelectionTests(RouterFixture fixture) : IClassFixture<RouterFixture>
{
    private const int Users = 5_000;

    [Theory]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    public async Task SplitLandsWithinTwoPointsOfThePercentage(int percentage)
    {
        // Arrange
        fixture.Reset(percentage);

        // Act
        var onNew = 0;
        for (var i = 0; i < Users; i++)
        {
            if (await SelectAsync($"user-{i}") == Arm.New)
            {
                onNew++;
            }
        }

        // Assert
        var share = 100.0 * onNew / Users;
        Assert.InRange(share, percentage - 2, percentage + 2);
    }

    [Fact]
    public async Task EveryUserGetsTheSameArmEveryTime()
    {
        // Arrange
        fixture.Reset(25);
        var first = new Arm[Users];
        for (var i = 0; i < Users; i++)
        {
            first[i] = await SelectAsync($"user-{i}");
        }

        // Act
        var changed = 0;
        for (var i = 0; i < Users; i++)
        {
            if (await SelectAsync($"user-{i}") != first[i])
            {
                changed++;
            }
        }

        // Assert
        Assert.Equal(0, changed);
        Assert.Contains(Arm.New, first);
        Assert.Contains(Arm.Legacy, first);
    }

    [Fact]
    public async Task RaisingThePercentageOnlyAddsUsersToTheNewArm()
    {
        var previous = new HashSet<string>();
        foreach (var percentage in new[] { 10, 25, 50 })
        {
            // Arrange
            fixture.Reset(percentage);

            // Act
            var onNew = new HashSet<string>();
            for (var i = 0; i < Users; i++)
            {
                if (await SelectAsync($"user-{i}") == Arm.New)
                {
                    onNew.Add($"user-{i}");
                }
            }

            // Assert
            Assert.Subset(onNew, previous);
            Assert.True(onNew.Count > previous.Count, $"{percentage}% should hold more users than the step before");
            previous = onNew;
        }
    }

    [Fact]
    public async Task ForcedArmHeaderOverridesTheTargetingFilter()
    {
        // Arrange
        fixture.Reset(0);

        // Act
        var forcedNew = await SelectAsync("user-1", forced: "new");
        fixture.Reset(100);
        var forcedLegacy = await SelectAsync("user-1", forced: "LEGACY");

        // Assert
        Assert.Equal(Arm.New, forcedNew);
        Assert.Equal(Arm.Legacy, forcedLegacy);
    }

    [Fact]
    public async Task PhaseThreeSendsEveryoneToTheNewArmEvenWhenLegacyIsForced()
    {
        // Arrange
        fixture.Reset(phase: 3);

        // Act
        var arm = await SelectAsync("user-1", forced: "legacy");

        // Assert
        Assert.Equal(Arm.New, arm);
        Assert.Equal(100, fixture.Store.Current.Percentage);
    }

    [Fact]
    public void UserKeyPrefersTheUserHeaderThenAHashedBearerTokenThenTheClientAddress()
    {
        // Arrange
        var both = new HeaderDictionary { [Arms.UserHeaderName] = "alice", ["Authorization"] = "Bearer sk-secret" };
        var token = new HeaderDictionary { ["Authorization"] = "Bearer sk-secret" };
        var none = new HeaderDictionary();

        // Act
        var fromUser = UserKey.Compute(both, "10.0.0.1");
        var fromToken = UserKey.Compute(token, "10.0.0.1");
        var fromAddress = UserKey.Compute(none, "10.0.0.1");

        // Assert
        Assert.Equal("alice", fromUser);
        Assert.StartsWith("token:", fromToken);
        Assert.DoesNotContain("sk-secret", fromToken);
        Assert.Equal(fromToken, UserKey.Compute(new HeaderDictionary { ["Authorization"] = "Bearer sk-secret" }, "10.9.9.9"));
        Assert.Equal("ip:10.0.0.1", fromAddress);
    }

    private async Task<Arm> SelectAsync(string user, string? forced = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[Arms.UserHeaderName] = user;
        if (forced is not null)
        {
            context.Request.Headers[Arms.HeaderName] = forced;
        }

        // The Targeting filter reads the user through IHttpContextAccessor, exactly as it does for a live request.
        fixture.Services.GetRequiredService<IHttpContextAccessor>().HttpContext = context;
        var decision = await fixture.Services.GetRequiredService<ArmSelector>().SelectAsync(context, CancellationToken.None);
        return decision.Arm;
    }
}

/// <summary>The router as it starts outside Development with no rollout settings of its own.</summary>
public sealed class DefaultRouterFixture : RouterFixture
{
    protected override void Configure(IDictionary<string, string?> settings) => settings.Remove("Rollout:AllowForcedArm");
}

public sealed class ForcedArmDefaultTests(DefaultRouterFixture fixture) : IClassFixture<DefaultRouterFixture>
{
    [Fact]
    public async Task OutsideDevelopmentAClientCannotChooseItsArmUnlessTheOperatorAllowsIt()
    {
        // Arrange: everyone is on legacy.
        fixture.Reset(0);

        // Act
        using var response = await fixture.Client.SendAsync(fixture.Speech("chooser", forcedArm: "new"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("legacy", response.Arm());
        Assert.Empty(fixture.New.Requests);
    }
}
