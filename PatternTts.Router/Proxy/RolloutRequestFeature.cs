namespace PatternTts.Router.Proxy;

/// <summary>Whether the request's body can be sent again, to a second arm or as a shadow copy.</summary>
internal enum RequestBodyState
{
    /// <summary>The request has no body: nothing to rewind.</summary>
    None,

    /// <summary>Held in a rewindable buffer.</summary>
    Buffered,

    /// <summary>Streamed through unbuffered (larger than the replay limit): no failover, no shadow copy.</summary>
    NotReplayable,
}

/// <summary>
/// Per-request rollout facts for the proxy steps, the response transform and the OnStarting callback. Every
/// write goes through a method here, so where each fact comes from reads in one file.
/// </summary>
internal sealed class RolloutRequestFeature(long startedTimestamp, ArmDecision decision)
{
    public long StartedTimestamp { get; } = startedTimestamp;

    /// <summary>The arm chosen for the request, and why.</summary>
    public ArmDecision Decision { get; } = decision;

    /// <summary>The arm of the current attempt; after a failover, the arm that finally served.</summary>
    public Arm Arm { get; private set; } = decision.Arm;

    public RequestBodyState Body { get; private set; }

    /// <summary>Whether a 502/503/504 from the current attempt may be swallowed and retried on the other arm.</summary>
    public bool CanFailover { get; private set; }

    /// <summary>The status the current attempt's arm answered and the transform kept from the client.</summary>
    public int? SuppressedStatusCode { get; private set; }

    /// <summary>The path and query the arm actually received, after route transforms such as the gateway path.</summary>
    public string? UpstreamPathAndQuery { get; private set; }

    public TimeSpan? TimeToFirstByte { get; private set; }

    /// <summary>The OpenAI error code of a new-arm 4xx kept from the client to be replayed on legacy, or null.</summary>
    public string? CapabilityFallbackCode { get; private set; }

    public void BodyRead(RequestBodyState body) => Body = body;

    public void BeginAttempt(Arm arm, bool canFailover)
    {
        Arm = arm;
        CanFailover = canFailover;
        SuppressedStatusCode = null;
        CapabilityFallbackCode = null;
    }

    public void UpstreamAnswered(string? pathAndQuery, int? suppressedStatusCode, string? capabilityFallbackCode = null)
    {
        UpstreamPathAndQuery = pathAndQuery;
        SuppressedStatusCode = suppressedStatusCode;
        CapabilityFallbackCode = capabilityFallbackCode;
    }

    public void ResponseStarted() => TimeToFirstByte = Stopwatch.GetElapsedTime(StartedTimestamp);
}

internal static class RolloutHttpContextExtensions
{
    /// <summary>The request's rollout facts, as <c>GetReverseProxyFeature()</c> gives YARP's.</summary>
    public static RolloutRequestFeature GetRolloutFeature(this HttpContext context) =>
        context.Features.Get<RolloutRequestFeature>()
        ?? throw new InvalidOperationException("UseArmSelection() must run before the other rollout steps.");
}
