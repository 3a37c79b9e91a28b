using System.Text.Json;

namespace PatternTts.Service.Api.Streaming;

/// <summary>
/// Audio with word times (<c>/dev/captioned_speech</c>). Streamed, one JSON object per line (NDJSON), each carrying
/// the bytes the encoder produced for its chunk, so the decoded lines joined in order are one valid file; whole, one
/// JSON object whose audio came from a seekable buffer, so containers get exact sizes.
/// </summary>
internal sealed class CaptionSink : SpeechSink
{
    private readonly AudioFormat _format;
    private readonly PendingAudioStream? _lines;
    private readonly MemoryStream? _whole;
    private readonly List<CaptionTimestamp> _timestamps = [];
    private readonly HashSet<string> _sources = [];
    private long _offset;

    /// <param name="whole">Where a whole response is gathered, or null to stream one line per chunk.</param>
    public CaptionSink(HttpResponse response, IAudioEncoderFactory encoders, AudioEncoding encoding, MemoryStream? whole)
        : this(response, encoders, encoding, whole is null ? new PendingAudioStream() : null, whole)
    {
    }

    private CaptionSink(HttpResponse response, IAudioEncoderFactory encoders, AudioEncoding encoding, PendingAudioStream? lines, MemoryStream? whole)
        : base(response, encoders.Create(encoding, (Stream?)lines ?? whole!))
    {
        _format = encoding.Format;
        _lines = lines;
        _whole = whole;
        response.ContentType = lines is null ? "application/json" : "application/x-ndjson";
    }

    protected override async ValueTask ChunkEncodedAsync(SpeechChunk chunk, CancellationToken cancellationToken)
    {
        var words = Place(chunk, _offset, _timestamps.Count > 0 ? _timestamps[^1].EndTime : 0);
        _offset += chunk.Samples.Length;
        if (chunk.WordSource is { } source && words.Count > 0)
        {
            _sources.Add(source);
        }

        _timestamps.AddRange(words);
        if (_lines is not null)
        {
            await WriteLineAsync(new CaptionedSpeechResponse(
                Convert.ToBase64String(_lines.Take()), _format.Name(), words, words.Count > 0 ? chunk.WordSource : null), cancellationToken);
        }
    }

    protected override async ValueTask FinishAsync(SpeechTotals totals, CancellationToken cancellationToken)
    {
        if (_lines is not null)
        {
            var trailer = _lines.Take();
            if (trailer.Length > 0)
            {
                await WriteLineAsync(new CaptionedSpeechResponse(Convert.ToBase64String(trailer), _format.Name(), [], null), cancellationToken);
            }

            return;
        }

        // Mixed sources happen only when some chunks lacked usable durations: report the weaker one.
        var overall = _sources.Count switch
        {
            0 => null,
            1 => _sources.Single(),
            _ => WordTimingSources.Estimated,
        };
        await JsonSerializer.SerializeAsync(
            Response.Body,
            new CaptionedSpeechResponse(Convert.ToBase64String(_whole!.GetBuffer().AsSpan(0, (int)_whole.Length)), _format.Name(), _timestamps, overall),
            ServiceJsonContext.Readable.CaptionedSpeechResponse,
            cancellationToken);
    }

    /// <summary>A chunk's word times moved to the response clock, never before the previous word's end.</summary>
    private static List<CaptionTimestamp> Place(SpeechChunk chunk, long offset, double previousEnd) =>
        [.. SpeechTimeline.Place(chunk, offset, previousEnd).Select(w => new CaptionTimestamp(w.Word, w.StartTime, w.EndTime))];

    private async Task WriteLineAsync(CaptionedSpeechResponse line, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(Response.Body, line, ServiceJsonContext.Readable.CaptionedSpeechResponse, cancellationToken);
        await Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await Response.Body.FlushAsync(cancellationToken);
    }
}
