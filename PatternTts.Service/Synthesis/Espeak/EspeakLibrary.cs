using System.Runtime.InteropServices;
using System.Text;

namespace PatternTts.Service.Synthesis.Espeak;

/// <summary>A word espeak-ng reported while speaking: where it is in the text and at which output sample it starts.</summary>
public sealed record EspeakWordEvent(int TextPosition, int Length, int Sample);

/// <summary>What espeak-ng spoke: 16-bit samples at its native rate, with word events for captions.</summary>
public sealed record EspeakSpeech(short[] Samples, int SampleRate, IReadOnlyList<EspeakWordEvent> Words)
{
    /// <summary>Each word's start as a 0-based text index and a sample position at <paramref name="sampleRate"/>.</summary>
    public IEnumerable<(int TextIndex, long Sample)> WordStartsAt(int sampleRate) =>
        Words.Select(w => (w.TextPosition - 1, (long)Math.Round(w.Sample * (double)sampleRate / SampleRate)));
}

/// <summary>
/// The one door to libespeak-ng. The library keeps global state and is not thread-safe (concurrent calls swap
/// text between requests), so every call goes through a single process-wide gate.
/// </summary>
public sealed class EspeakLibrary
{
    // Static on purpose: the native library's state is per process, so a per-instance gate would not protect it.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static int s_sampleRate;
    private static List<short>? s_samples;
    private static List<EspeakWordEvent>? s_words;
    private static volatile bool s_abort;
    private static string? s_voice;

    public static bool IsAvailable => EnsureInitialized(out _);

    /// <summary>Why the library could not be loaded, or null when it works.</summary>
    public static string? UnavailableReason => EnsureInitialized(out var reason) ? null : reason;

    public async Task<string> TextToPhonemesAsync(string text, string voice, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            RequireInitialized();
            SelectVoice(voice);
            return TextToPhonemesLocked(text);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <param name="wordsPerMinute">espeak's own rate; 175 is its default.</param>
    public async Task<EspeakSpeech> SynthesizeAsync(string text, string voice, int wordsPerMinute, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            RequireInitialized();
            SelectVoice(voice);
            EspeakNative.SetParameter(EspeakNative.ParameterRate, Math.Clamp(wordsPerMinute, 80, 450), 0);
            s_samples = new List<short>(s_sampleRate * 4);
            s_words = [];
            s_abort = false;
            using var registration = cancellationToken.Register(() => s_abort = true);

            SynthLocked(text);
            cancellationToken.ThrowIfCancellationRequested();
            return new EspeakSpeech([.. s_samples], s_sampleRate, s_words);
        }
        finally
        {
            if (s_abort)
            {
                // An aborted synthesis leaves text queued inside espeak; flush it so the next request starts clean.
                EspeakNative.Cancel();
            }

            s_samples = null;
            s_words = null;
            Gate.Release();
        }
    }

    private static unsafe void SynthLocked(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        fixed (byte* p = bytes)
        {
            var error = EspeakNative.Synth(p, (nuint)bytes.Length, 0, 0, 0, EspeakNative.SynthFlagsUtf8EndPause, null, 0);
            if (error != 0)
            {
                throw new InvalidOperationException($"espeak-ng could not synthesize (error {error}).");
            }
        }

        EspeakNative.Synchronize();
    }

    private static unsafe string TextToPhonemesLocked(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        var result = new StringBuilder();
        fixed (byte* p = bytes)
        {
            var cursor = (nint)p;
            // espeak hands back one clause per call and advances the cursor; it sets it to null at the end.
            while (cursor != 0)
            {
                var before = cursor;
                var phonemes = EspeakNative.TextToPhonemes(ref cursor, EspeakNative.CharsUtf8, EspeakNative.PhonemeModeIpa);
                var clause = Marshal.PtrToStringUTF8(phonemes);
                if (!string.IsNullOrWhiteSpace(clause))
                {
                    if (result.Length > 0)
                    {
                        result.Append(' ');
                    }

                    result.Append(clause.Trim());
                }

                if (cursor == before)
                {
                    break;
                }
            }
        }

        return result.ToString();
    }

    private static void SelectVoice(string voice)
    {
        if (s_voice == voice)
        {
            return;
        }

        // Voice files are named by language family (gmw/en is en-gb), so a language tag may not be a voice name.
        if (EspeakNative.SetVoiceByName(voice) != 0 && SetVoiceByLanguage(voice) != 0)
        {
            throw new ArgumentException($"espeak-ng has no voice '{voice}'.", nameof(voice));
        }

        s_voice = voice;
    }

    private static unsafe int SetVoiceByLanguage(string language)
    {
        var bytes = Encoding.UTF8.GetBytes(language + "\0");
        fixed (byte* p = bytes)
        {
            var spec = new EspeakNative.VoiceSpec { Languages = (nint)p };
            return EspeakNative.SetVoiceByProperties(&spec);
        }
    }

    private static void RequireInitialized()
    {
        if (!EnsureInitialized(out var reason))
        {
            throw new InvalidOperationException(reason);
        }
    }

    private static readonly Lazy<string?> Initialization = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    private static bool EnsureInitialized(out string reason)
    {
        reason = Initialization.Value ?? string.Empty;
        return Initialization.Value is null;
    }

    private static unsafe string? Initialize()
    {
        try
        {
            var rate = EspeakNative.Initialize(EspeakNative.AudioOutputSynchronous, 0, null, 0);
            if (rate <= 0)
            {
                return "espeak-ng failed to initialize: is espeak-ng-data installed (apt-get install espeak-ng-data)?";
            }

            s_sampleRate = rate;
            EspeakNative.SetSynthCallback(&OnSynth);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"libespeak-ng is not installed (apt-get install libespeak-ng1 espeak-ng-data): {e.Message}";
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int OnSynth(short* wav, int count, EspeakNative.Event* events)
    {
        if (wav is not null && count > 0 && s_samples is { } samples)
        {
            samples.AddRange(new ReadOnlySpan<short>(wav, count));
        }

        if (events is not null && s_words is { } words)
        {
            for (var e = events; e->Type != EspeakNative.EventListTerminated; e++)
            {
                // Positions are 1-based; espeak occasionally reports a word at position 0 that belongs to no text.
                if (e->Type == EspeakNative.EventWord && e->TextPosition > 0)
                {
                    words.Add(new EspeakWordEvent(e->TextPosition, e->Length, e->Sample));
                }
            }
        }

        return s_abort ? 1 : 0;
    }
}
