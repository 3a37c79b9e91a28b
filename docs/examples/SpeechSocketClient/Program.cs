// Speaks a reply while it is still being written, as an agent would with an LLM's tokens:
//   dotnet run --project docs/examples/SpeechSocketClient -- [ws://localhost:8205] [reply.wav]
// Each word goes to the speech socket as soon as it "arrives"; the service speaks every finished clause at once,
// and this client writes the audio (24 kHz pcm) into a WAV file as the frames come in.
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

var server = args.Length > 0 ? args[0] : "ws://localhost:8205";
var output = args.Length > 1 ? args[1] : "reply.wav";
const string reply = "Sure, I can help with that. Your order shipped this morning, and it should arrive by Friday. Anything else?";

using var socket = new ClientWebSocket();
await socket.ConnectAsync(new Uri(server.TrimEnd('/') + "/v1/audio/speech/stream"), CancellationToken.None);

Task SendAsync(object message) =>
    socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

var started = DateTime.UtcNow;
var receiving = ReceiveAsync();
await SendAsync(new { type = "session.update", voice = "af_heart", response_format = "pcm", include_timestamps = true });
foreach (var token in reply.Split(' '))
{
    // An LLM's pace: a word every 80 ms.
    await SendAsync(new { type = "input.append", text = token + " " });
    await Task.Delay(80);
}

await SendAsync(new { type = "input.end" });
var pcm = await receiving;
await File.WriteAllBytesAsync(output, [.. WavHeader(pcm.Length), .. pcm]);
Console.WriteLine($"Wrote {pcm.Length / 48_000.0:F1} s of audio to {output}.");

async Task<byte[]> ReceiveAsync()
{
    var audio = new MemoryStream();
    var buffer = new byte[64 * 1024];
    while (true)
    {
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        switch (result.MessageType)
        {
            case WebSocketMessageType.Close:
                return audio.ToArray();
            case WebSocketMessageType.Binary:
                if (audio.Length == 0)
                {
                    Console.WriteLine($"First audio after {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms.");
                }

                message.Position = 0;
                message.CopyTo(audio);
                break;
            default:
                using (var json = JsonDocument.Parse(message.ToArray()))
                {
                    var type = json.RootElement.GetProperty("type").GetString();
                    if (type == "audio.timings")
                    {
                        foreach (var word in json.RootElement.GetProperty("timestamps").EnumerateArray())
                        {
                            Console.WriteLine($"  {word.GetProperty("start_time").GetDouble(),6:F2} s  {word.GetProperty("word").GetString()}");
                        }
                    }
                    else if (type == "error")
                    {
                        Console.Error.WriteLine(json.RootElement.GetProperty("error").GetProperty("message").GetString());
                    }
                }

                break;
        }
    }
}

static byte[] WavHeader(int dataBytes)
{
    var header = new byte[44];
    Encoding.ASCII.GetBytes("RIFF").CopyTo(header, 0);
    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + dataBytes);
    Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(header, 8);
    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
    BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 1);
    BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);
    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), 24_000);
    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), 48_000);
    BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), 2);
    BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 16);
    Encoding.ASCII.GetBytes("data").CopyTo(header, 36);
    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), dataBytes);
    return header;
}
