using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PatternTts.Router.Tests.Infrastructure;

public enum ArmMode
{
    Healthy,
    ServiceUnavailable,
    InternalError,
}

public sealed record ReceivedRequest(
    string Method, string PathAndQuery, string Body, bool Shadow, string? User, string? TraceParent, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real Kestrel upstream on a loopback port that stands in for one TTS arm. Its answers name the arm, and it can be
/// switched to fail, slow down, hold shadow traffic, stream behind a gate, or stop listening altogether.
/// </summary>
public sealed class FakeArm : IAsyncDisposable
{
    public const string StreamMarker = "\"stream\":true";
    public const string FirstChunk = "first-chunk;";
    public const string LastChunk = "last-chunk";

    // A test that fails before opening a gate then leaves a 500 behind, not a request parked in the server until the
    // router gives up on it.
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _name;
    private WebApplication? _app;
    private int _healthProbes;
    private int _sockets;

    private FakeArm(string name, int port)
    {
        _name = name;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public ArmMode Mode { get; set; }

    public TimeSpan Delay { get; set; }

    /// <summary>A pause after the first bytes are flushed: a long answer whose start is as quick as ever.</summary>
    public TimeSpan TailDelay { get; set; }

    /// <summary>While set, shadow requests wait here after being recorded.</summary>
    public TaskCompletionSource? ShadowGate { get; set; }

    /// <summary>Streamed answers send <see cref="FirstChunk"/>, then wait for this before the rest.</summary>
    public TaskCompletionSource StreamGate { get; set; } = NewGate();

    public bool StreamFinished { get; private set; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public int HealthProbes => Volatile.Read(ref _healthProbes);

    public static async Task<FakeArm> StartAsync(string name)
    {
        var arm = new FakeArm(name, LocalProcess.FreePort());
        await arm.StartAsync();
        return arm;
    }

    public static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers a request whose body it picks with this status and JSON instead of audio, as a 4xx of the service.</summary>
    public Func<string, (int Status, string Json)?>? Refuse { get; set; }

    /// <summary>Answers a request whose body it picks with this audio instead of the text marker.</summary>
    public Func<string, (string ContentType, byte[] Body)?>? Audio { get; set; }

    /// <summary>A 24 kHz 16-bit mono WAV of <paramref name="seconds"/> of silence.</summary>
    public static byte[] Wav(double seconds)
    {
        var dataBytes = (int)(seconds * 24_000) * 2;
        var wav = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(wav);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), 24_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), 48_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), dataBytes);
        return wav;
    }

    /// <summary>The service's answer to a voice whose language it cannot speak yet.</summary>
    public static (int Status, string Json)? RefuseJapanese(string body) => body.Contains("jf_alpha", StringComparison.Ordinal)
        ? (400, """{"error":{"message":"Language 'j' (Japanese) is not supported.","type":"invalid_request_error","param":"voice","code":"unsupported_language"}}""")
        : null;

    /// <summary>Sockets this arm accepted.</summary>
    public int Sockets => Volatile.Read(ref _sockets);

    public void Reset()
    {
        Mode = ArmMode.Healthy;
        Refuse = null;
        Audio = null;
        Delay = TimeSpan.Zero;
        TailDelay = TimeSpan.Zero;
        ShadowGate?.TrySetResult();
        ShadowGate = null;
        StreamGate.TrySetResult();
        StreamGate = NewGate();
        StreamFinished = false;
        Interlocked.Exchange(ref _sockets, 0);
        Requests.Clear();
    }

    /// <summary>Listens on the same port again after <see cref="StopAsync"/>.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref _healthProbes);
            return Mode == ArmMode.Healthy
                ? Results.Json(new { status = "healthy", service = _name })
                : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        app.Map("/{**path}", HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops listening, so connections to the arm are refused.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            // Bounded, so a request still held at a gate cannot stall a stop for the host's default 30 s.
            using var timeout = new CancellationTokenSource(StopTimeout);
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Reset();
        await StopAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await EchoAsync(context);
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var shadow = context.Request.Headers.ContainsKey(Arms.ShadowHeaderName);
        var user = context.Request.Headers[Arms.UserHeaderName].ToString();
        var traceParent = context.Request.Headers["traceparent"].ToString();
        Requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body, shadow,
            user.Length == 0 ? null : user, traceParent.Length == 0 ? null : traceParent,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));

        if (shadow && ShadowGate is { } gate)
        {
            await gate.Task.WaitAsync(GateTimeout, context.RequestAborted);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (Refuse?.Invoke(body) is { } refusal)
        {
            context.Response.StatusCode = refusal.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(refusal.Json, context.RequestAborted);
            return;
        }

        if (Audio?.Invoke(body) is { } audio)
        {
            context.Response.ContentType = audio.ContentType;
            await context.Response.Body.WriteAsync(audio.Body, context.RequestAborted);
            return;
        }

        switch (Mode)
        {
            case ArmMode.ServiceUnavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync($"{_name} is unavailable", context.RequestAborted);
                return;
            case ArmMode.InternalError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync($"{_name} failed", context.RequestAborted);
                return;
        }

        context.Response.ContentType = "text/plain";
        if (TailDelay > TimeSpan.Zero)
        {
            await context.Response.WriteAsync($"served-by:{_name};", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TailDelay, context.RequestAborted);
        }

        if (body.Contains(StreamMarker, StringComparison.Ordinal))
        {
            await context.Response.WriteAsync($"served-by:{_name};{FirstChunk}", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await StreamGate.Task.WaitAsync(GateTimeout, context.RequestAborted);
            await context.Response.WriteAsync(LastChunk, context.RequestAborted);
            StreamFinished = true;
            return;
        }

        await context.Response.WriteAsync($"served-by:{_name};path:{context.Request.Path}{context.Request.QueryString};body:{body}", context.RequestAborted);
    }

    /// <summary>A WebSocket that answers each text message with <c>served-by:{arm};</c> and the message, until the client closes.</summary>
    private async Task EchoAsync(HttpContext context)
    {
        Interlocked.Increment(ref _sockets);
        Requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, "", false, null, null,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                return;
            }

            var reply = Encoding.UTF8.GetBytes($"served-by:{_name};" + Encoding.UTF8.GetString(buffer, 0, result.Count));
            await socket.SendAsync(reply, System.Net.WebSockets.WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }
}
