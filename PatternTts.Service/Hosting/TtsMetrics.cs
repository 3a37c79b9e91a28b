using System.Diagnostics.Metrics;

namespace PatternTts.Service.Hosting;

/// <summary>The service's own instruments, exported on /metrics and to the Aspire dashboard.</summary>
public sealed class TtsMetrics
{
    public const string MeterName = "PatternTts.Service";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _firstAudio;
    private readonly Histogram<double> _duration;
    private readonly Counter<double> _audioSeconds;
    private readonly Counter<double> _modelSeconds;

    public TtsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("tts.requests", description: "Speech requests by engine, format and outcome.");
        _firstAudio = meter.CreateHistogram<double>("tts.time_to_first_audio", "s", "From request to the first encoded audio bytes.");
        _duration = meter.CreateHistogram<double>("tts.synthesis.duration", "s", "Whole synthesis time per request.");
        _audioSeconds = meter.CreateCounter<double>("tts.audio.generated", "s", "Seconds of audio produced.");
        _modelSeconds = meter.CreateCounter<double>("tts.model.time", "s", "Time spent inside model calls: what the service adds is the rest.");
    }

    public void Completed(string engine, string format, string outcome, double seconds, double audioSeconds, double modelSeconds = 0)
    {
        var tags = new TagList { { "engine", engine }, { "format", format }, { "outcome", outcome } };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
        var engineOnly = new TagList { { "engine", engine } };
        _audioSeconds.Add(audioSeconds, engineOnly);
        _modelSeconds.Add(modelSeconds, engineOnly);
    }

    /// <summary>A request refused at admission, with the lane its first model call would have waited in.</summary>
    public void Rejected(string reason, string lane) => _requests.Add(1, new TagList { { "outcome", reason }, { "lane", lane } });

    public void FirstAudio(string engine, double seconds) => _firstAudio.Record(seconds, new TagList { { "engine", engine } });
}
