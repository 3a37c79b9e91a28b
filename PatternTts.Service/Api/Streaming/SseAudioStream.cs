using System.Text;
using System.Text.Json;

namespace PatternTts.Service.Api.Streaming;

/// <summary>
/// A write-only stream that turns every block of encoded audio into one <c>speech.audio.delta</c> Server-Sent
/// Event, so any encoder can feed SSE unchanged.
/// </summary>
internal sealed class SseAudioStream(Stream response) : WriteOnlyStream
{
    public long AudioBytes { get; private set; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        AudioBytes += buffer.Length;
        var delta = new SpeechAudioDelta("speech.audio.delta", Convert.ToBase64String(buffer.Span));
        await WriteEventAsync(response, JsonSerializer.Serialize(delta, ServiceJsonContext.Readable.SpeechAudioDelta), cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("SSE audio is written asynchronously.");

    public static Task WriteDoneAsync(Stream response, SpeechUsage usage, CancellationToken cancellationToken) =>
        WriteEventAsync(response, JsonSerializer.Serialize(new SpeechAudioDone("speech.audio.done", usage), ServiceJsonContext.Readable.SpeechAudioDone), cancellationToken);

    public static Task WriteTimestampsAsync(Stream response, IReadOnlyList<InputWordTiming> words, CancellationToken cancellationToken) =>
        WriteEventAsync(response, JsonSerializer.Serialize(SpeechAudioTimestamps.From("speech.audio.timestamps", words), ServiceJsonContext.Readable.SpeechAudioTimestamps), cancellationToken);

    private static async Task WriteEventAsync(Stream response, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync(Encoding.UTF8.GetBytes($"data: {json}\n\n"), cancellationToken);
        await response.FlushAsync(cancellationToken);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => response.FlushAsync(cancellationToken);
}
