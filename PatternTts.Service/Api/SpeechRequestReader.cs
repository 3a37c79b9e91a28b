using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace PatternTts.Service.Api;

/// <summary>A speech request that passed every check, ready to synthesize.</summary>
public sealed record ValidatedSpeech(string Model, SpeechJob Job, SpeechOutput Output);

/// <summary>
/// Reads and checks <c>POST /v1/audio/speech</c> by hand rather than through model binding, so every refusal —
/// wrong content type, malformed JSON, a bad field — comes back in OpenAI's error shape naming the field.
/// </summary>
public sealed class SpeechRequestReader(VoiceStore voices, IOptions<TtsOptions> options)
{
    public const double MinSpeed = 0.25;
    public const double MaxSpeed = 4.0;
    public const int MaxInstructionsLength = 4096;

    public async Task<ValidatedSpeech> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, $"Content-Type must be application/json; got '{request.ContentType ?? "none"}'.", null, "unsupported_media_type");
        }

        // Input is at most TTS_MAX_TEXT_LENGTH characters, so a body far beyond that is refused before it is read.
        LimitBody(request, MaxBodyBytes(options.Value));

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON: {e.Message}", null, "invalid_json");
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw BodyUnreadable(e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest("The request body must be a JSON object.", null, "invalid_json");
            }

            SpeechRequest body;
            try
            {
                body = document.RootElement.Deserialize(ServiceJsonContext.Readable.SpeechRequest)!;
            }
            catch (JsonException e)
            {
                throw ApiException.BadRequest(JsonErrors.Describe(e, typeof(SpeechRequest)), JsonErrors.Field(e), "invalid_type");
            }

            return Validate(body);
        }
    }

    /// <summary>Refuses a body announced as larger than <paramref name="maxBytes"/> (413) and caps one that is not announced.</summary>
    public static void LimitBody(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The request body is {request.ContentLength} bytes; the limit is {maxBytes}.", null, "request_too_large");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBytes;
        }
    }

    /// <summary>
    /// The body could not be read as HTTP (a malformed chunk, a body shorter than its length): the client's fault,
    /// whatever exception type the server used to say so.
    /// </summary>
    public static ApiException BodyUnreadable(IOException e) => e is BadHttpRequestException bad
        ? new ApiException(bad.StatusCode, $"The request body could not be read: {bad.Message}", null, "invalid_request_body")
        : ApiException.BadRequest($"The request body could not be read: {e.Message}", null, "invalid_request_body");

    /// <summary>Room for the longest input as 4-byte UTF-8 escapes plus the other fields.</summary>
    public static long MaxBodyBytes(TtsOptions options) => (options.MaxTextLength * 12L) + 64 * 1024;

    public static AudioFormat ReadFormat(string name, string param = "response_format") => AudioFormats.TryParse(name, out var format)
        ? format
        : throw ApiException.BadRequest($"{param} '{name}' is not supported. Use one of: {string.Join(", ", AudioFormats.Names)}.", param, $"invalid_{param}");

    /// <summary>
    /// The format with its <c>sample_rate</c> and, for wav, its <c>codec</c>; G.711 defaults to 8 kHz. A codec
    /// that contradicts the format (mp3 with ulaw) is a 400 rather than silently ignored.
    /// </summary>
    public static AudioEncoding ReadEncoding(string formatName, int? sampleRate, string? codecName)
    {
        var format = ReadFormat(formatName);
        var codec = SampleCodec.Pcm16;
        if (codecName is not null)
        {
            if (!AudioEncoding.TryParseCodec(codecName, out codec))
            {
                throw ApiException.BadRequest($"codec '{codecName}' is not supported. Use one of: pcm, ulaw, alaw.", "codec", "invalid_codec");
            }

            var fits = format switch
            {
                AudioFormat.Wav => true,
                AudioFormat.Ulaw => codec == SampleCodec.Ulaw,
                AudioFormat.Alaw => codec == SampleCodec.Alaw,
                AudioFormat.Pcm => codec == SampleCodec.Pcm16,
                _ => false,
            };
            if (!fits)
            {
                throw ApiException.BadRequest(
                    $"codec '{codecName}' does not go with response_format '{format.Name()}'; G.711 inside a container is response_format 'wav' with codec 'ulaw' or 'alaw'.", "codec", "invalid_codec");
            }

            codec = format == AudioFormat.Wav ? codec : SampleCodec.Pcm16;
        }

        var rate = sampleRate ?? AudioEncoding.DefaultSampleRate(format, codec);
        if (!AudioEncoding.SampleRates.Contains(rate))
        {
            throw ApiException.BadRequest(
                $"sample_rate {rate} is not supported. Use one of: {string.Join(", ", AudioEncoding.SampleRates)}.", "sample_rate", "invalid_sample_rate");
        }

        return new AudioEncoding(format, rate, codec);
    }

    public static double ReadSpeed(double? value)
    {
        var speed = value ?? 1.0;
        return double.IsFinite(speed) && speed >= MinSpeed && speed <= MaxSpeed
            ? speed
            : throw ApiException.BadRequest($"speed must be between {MinSpeed} and {MaxSpeed}; got {speed}.", "speed", "invalid_speed");
    }

    /// <summary>A Kokoro language code or tag that espeak-ng can phonemize, or a 400 naming <paramref name="param"/>.</summary>
    public static KokoroLanguage ReadLanguage(string code, string param)
    {
        if (!KokoroLanguage.TryGet(code, out var language))
        {
            throw ApiException.BadRequest(
                $"{param} '{code}' is not a Kokoro language ({string.Join(", ", KokoroLanguage.All.Keys)}, or a tag such as en-us).", param, "invalid_language");
        }

        return language.IsSupported
            ? language
            : throw ApiException.BadRequest(new UnsupportedLanguageException(language).Message, param, "unsupported_language");
    }

    /// <summary>The voice (id, alias or mix; the default when empty), or a 400 naming it.</summary>
    public static VoicePack ResolveVoice(VoiceStore voices, string? name, string param = "voice")
    {
        try
        {
            return voices.Resolve(string.IsNullOrWhiteSpace(name) ? VoiceCatalog.DefaultVoice : name.Trim());
        }
        catch (VoiceNotFoundException e)
        {
            throw ApiException.BadRequest(e.Message, param, "voice_not_found");
        }
        catch (VoiceExpressionTooLargeException e)
        {
            throw ApiException.BadRequest(e.Message, param, e.TooManyVoices ? "too_many_voices" : "voice_expression_too_long");
        }
        catch (VoiceExpressionException e)
        {
            throw ApiException.BadRequest(e.Message, param, "invalid_voice_expression");
        }
    }

    private ValidatedSpeech Validate(SpeechRequest body)
    {
        var model = body.Model?.Trim();
        if (string.IsNullOrEmpty(model))
        {
            throw ApiException.BadRequest("'model' is required (e.g. tts-1).", "model", "missing_required_parameter");
        }

        if (!OpenAiModelIds.All.Contains(model, StringComparer.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest($"Model '{model}' is not supported. Use one of: {string.Join(", ", OpenAiModelIds.All)}.", "model", "model_not_found");
        }

        if (body.Input is null || string.IsNullOrWhiteSpace(body.Input))
        {
            throw ApiException.BadRequest("'input' must contain text to speak.", "input", "empty_input");
        }

        var limit = options.Value.MaxTextLength;
        if (body.Input.Length > limit)
        {
            throw ApiException.BadRequest($"'input' is {body.Input.Length} characters; the limit is {limit}.", "input", "input_too_long");
        }

        if (body.Instructions is { Length: > MaxInstructionsLength })
        {
            throw ApiException.BadRequest($"'instructions' is longer than {MaxInstructionsLength} characters.", "instructions", "instructions_too_long");
        }

        var encoding = ReadEncoding(body.ResponseFormat ?? "mp3", body.SampleRate, body.Codec);
        var speed = ReadSpeed(body.Speed);

        var streamFormat = body.StreamFormat ?? "audio";
        if (streamFormat is not ("audio" or "sse"))
        {
            throw ApiException.BadRequest($"stream_format '{streamFormat}' is not supported. Use 'audio' or 'sse'.", "stream_format", "invalid_stream_format");
        }

        var volume = body.VolumeMultiplier ?? 1.0;
        if (!double.IsFinite(volume) || volume < 0 || volume > 10)
        {
            throw ApiException.BadRequest($"volume_multiplier must be between 0 and 10; got {volume}.", "volume_multiplier", "invalid_volume");
        }

        var voice = ResolveVoice(voices, body.Voice);

        var language = body.LangCode is null
            ? ReadLanguage(voice.LanguageCode.ToString(), "voice")
            : ReadLanguage(body.LangCode, "lang_code");

        var sse = streamFormat == "sse";
        if (body.IncludeTimestamps == true && !sse)
        {
            throw ApiException.BadRequest("include_timestamps needs stream_format 'sse' (the audio stream has nowhere to carry them).", "include_timestamps", "invalid_include_timestamps");
        }

        AudioFormat? download = body.ReturnDownloadLink == true
            ? body.DownloadFormat is null ? encoding.Format : ReadFormat(body.DownloadFormat, "download_format")
            : null;
        var timestamps = body.IncludeTimestamps == true;
        var output = new SpeechOutput(encoding, Stream: sse || (body.Stream ?? true), sse ? SpeechBody.Sse : SpeechBody.Audio, download, timestamps);
        var job = new SpeechJob(body.Input, voice, language, (float)speed, body.NormalizationOptions ?? NormalizationOptions.Default, (float)volume,
            WordTimings: timestamps, Streamed: output.Stream);
        return new ValidatedSpeech(model, job, output);
    }
}
