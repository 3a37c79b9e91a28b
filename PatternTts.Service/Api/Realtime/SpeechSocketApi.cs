using System.Diagnostics.Metrics;

namespace PatternTts.Service.Api.Realtime;

/// <summary>Bounds the speech sockets open at once and counts them (<c>tts.sockets.open</c>).</summary>
public sealed class SpeechSocketGate
{
    private readonly int _limit;
    private int _open;

    public SpeechSocketGate(IOptions<TtsOptions> options, IMeterFactory meterFactory)
    {
        _limit = options.Value.MaxSockets;
        meterFactory.Create(TtsMetrics.MeterName).CreateObservableUpDownCounter("tts.sockets.open", () => Volatile.Read(ref _open), description: "Speech sockets open now.");
    }

    public int Open => Volatile.Read(ref _open);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= _limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _open);
}

public static class SpeechSocketApi
{
    public const string Path = "/v1/audio/speech/stream";

    public static IEndpointConventionBuilder MapSpeechSocket(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, AcceptAsync)
            .WithTags("Speech")
            .WithName("StreamSpeech")
            .WithSummary("WebSocket: text in as it is written (input.append), audio out as each clause is spoken.")
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status429TooManyRequests);

    internal static async Task AcceptAsync(
        HttpContext context, SpeechSocketGate gate, EngineSelector engines, SynthesisScheduler scheduler, IAudioEncoderFactory encoders,
        VoiceStore voices, TtsMetrics metrics, IOptions<TtsOptions> options, IHostEnvironment environment, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest($"{Path} is a WebSocket: connect with an upgrade (ws:// or wss://).", null, "websocket_required");
        }

        if (!gate.TryEnter())
        {
            throw new ApiException(StatusCodes.Status429TooManyRequests,
                $"{options.Value.MaxSockets} speech sockets are open (TTS_MAX_SOCKETS); retry shortly.", null, "too_many_sockets");
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await using var session = new SpeechSocketSession(socket, engines, scheduler, encoders, voices, metrics, options.Value,
                environment.IsDevelopment(), loggers.CreateLogger<SpeechSocketSession>());
            await session.RunAsync(context.RequestAborted);
        }
        finally
        {
            gate.Leave();
        }
    }
}
