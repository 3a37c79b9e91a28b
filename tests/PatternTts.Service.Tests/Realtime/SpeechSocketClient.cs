using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace PatternTts.Service.Tests.Realtime;

/// <summary>One thing the server sent: a binary audio frame or a JSON event, and when it came.</summary>
internal sealed record SocketFrame(byte[]? Audio, JsonNode? Event, DateTime At)
{
    public string? Type => Event?["type"]?.GetValue<string>();
}

/// <summary>A real <see cref="ClientWebSocket"/> on the speech socket, reading everything the server sends in the background.</summary>
internal sealed class SpeechSocketClient : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<SocketFrame> _frames = Channel.CreateUnbounded<SocketFrame>();
    private Task? _reading;

    private SpeechSocketClient(WebSocket socket, bool read = true)
    {
        _socket = socket;
        if (read)
        {
            Read();
        }
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<SpeechSocketClient> ConnectAsync(string baseUrl, string path = "/v1/audio/speech/stream")
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + path), CancellationToken.None);
        return new SpeechSocketClient(socket);
    }

    /// <summary>
    /// A client that reads nothing until <see cref="Read"/>, over a TCP socket with a
    /// <paramref name="receiveBufferBytes"/> receive buffer (the upgrade done by hand, as ClientWebSocket cannot size it).
    /// </summary>
    public static async Task<SpeechSocketClient> ConnectNotReadingAsync(string baseUrl, int receiveBufferBytes, string path = "/v1/audio/speech/stream")
    {
        var address = new Uri(baseUrl);
        var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes };
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = new NetworkStream(tcp, ownsSocket: true);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));

        // The response head, a byte at a time so nothing of the first frame is read with it.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new WebSocketException($"The server closed during the upgrade: {head}");
            }

            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new WebSocketException($"The upgrade was refused: {head}");
        }

        return new SpeechSocketClient(WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false }), read: false);
    }

    /// <summary>Starts reading what the server sends (at once for a client from <see cref="ConnectAsync"/>).</summary>
    public void Read() => _reading ??= ReadAsync();

    public Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task AppendAsync(string text) => SendAsync(new { type = "input.append", text });

    /// <summary>The next frame, or null when the socket closed.</summary>
    public async Task<SocketFrame?> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _frames.Reader.WaitToReadAsync(cancel.Token) && _frames.Reader.TryRead(out var frame) ? frame : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The server sent nothing in time.");
        }
    }

    /// <summary>Frames until (and with) the first event of <paramref name="type"/>.</summary>
    public async Task<List<SocketFrame>> UntilAsync(string type)
    {
        var frames = new List<SocketFrame>();
        while (await NextAsync() is { } frame)
        {
            frames.Add(frame);
            if (frame.Type == type)
            {
                return frames;
            }
        }

        throw new InvalidOperationException($"The socket closed before '{type}' ({_socket.CloseStatus} {_socket.CloseStatusDescription}).");
    }

    /// <summary>Every frame until the server closes.</summary>
    public async Task<List<SocketFrame>> UntilClosedAsync()
    {
        var frames = new List<SocketFrame>();
        while (await NextAsync() is { } frame)
        {
            frames.Add(frame);
        }

        await (_reading ?? Task.CompletedTask);
        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        _socket.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _frames.Writer.TryWrite(result.MessageType == WebSocketMessageType.Binary
                    ? new SocketFrame(message.ToArray(), null, DateTime.UtcNow)
                    : new SocketFrame(null, JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray())), DateTime.UtcNow));
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
