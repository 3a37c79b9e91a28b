using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace PatternTts.Service.Caching;

/// <summary>Where a response's audio may be found again: the cache key and the ETag it answers with.</summary>
public sealed record SpeechCacheKey(string Key, string ETag);

/// <summary>A whole successful response as the cache keeps it.</summary>
public sealed record CachedSpeech(string ContentType, string ContentDisposition, string Engine, double AudioSeconds, byte[] Body)
{
    private const byte Version = 1;

    /// <summary>One byte array: version, three length-prefixed UTF-8 strings, the seconds, then the body.</summary>
    public byte[] ToBytes()
    {
        var strings = new[] { ContentType, ContentDisposition, Engine }.Select(Encoding.UTF8.GetBytes).ToArray();
        var buffer = new byte[1 + strings.Sum(s => 4 + s.Length) + 8 + Body.Length];
        buffer[0] = Version;
        var at = 1;
        foreach (var value in strings)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value.Length);
            value.CopyTo(buffer, at + 4);
            at += 4 + value.Length;
        }

        BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(at), AudioSeconds);
        Body.CopyTo(buffer, at + 8);
        return buffer;
    }

    /// <summary>The entry, or null when the bytes are not one this version wrote (an older replica's, say).</summary>
    public static CachedSpeech? FromBytes(byte[] bytes)
    {
        if (bytes.Length < 1 || bytes[0] != Version)
        {
            return null;
        }

        var at = 1;
        var strings = new string[3];
        for (var i = 0; i < strings.Length; i++)
        {
            if (at + 4 > bytes.Length)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            if (length < 0 || at + 4 + length > bytes.Length)
            {
                return null;
            }

            strings[i] = Encoding.UTF8.GetString(bytes, at + 4, length);
            at += 4 + length;
        }

        if (at + 8 > bytes.Length)
        {
            return null;
        }

        var seconds = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(at));
        return new CachedSpeech(strings[0], strings[1], strings[2], seconds, bytes[(at + 8)..]);
    }
}

/// <summary>
/// Complete successful syntheses kept by what they are made of, so a repeated phrase (an IVR prompt, an announcement)
/// costs no model time the second time. Memory first (bounded in bytes: TTS_CACHE_MAX_MB, 0 turns the cache off),
/// and Redis as the second level when the <c>redis</c> connection string is set, shared by every replica. The key
/// holds everything the audio depends on, the engine's identity included (for Kokoro, the model file's sha256), so a
/// new model never serves the old model's audio.
/// </summary>
public sealed class SpeechCache
{
    /// <summary>Looks without filling: a miss is filled by the response that synthesizes it, as it streams.</summary>
    private static readonly HybridCacheEntryOptions LookupOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    private readonly HybridCache _cache;
    private readonly IMemoryCache _memory;
    private readonly HybridCacheEntryOptions _store;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _bytesServed;

    public SpeechCache(HybridCache cache, IMemoryCache memory, IOptions<TtsOptions> options, IMeterFactory meterFactory)
    {
        _cache = cache;
        _memory = memory;
        var settings = options.Value;
        Enabled = settings.CacheMaxMegabytes > 0;
        MaxEntryBytes = (long)settings.CacheMaxEntryKilobytes * 1024;
        var lifetime = TimeSpan.FromMinutes(settings.CacheMinutes);
        _store = new HybridCacheEntryOptions { Expiration = lifetime, LocalCacheExpiration = lifetime };

        var meter = meterFactory.Create(TtsMetrics.MeterName);
        _hits = meter.CreateCounter<long>("tts.cache.hits", description: "Speech responses served from the audio cache (304s included).");
        _misses = meter.CreateCounter<long>("tts.cache.misses", description: "Cacheable speech responses that had to be synthesized.");
        _bytesServed = meter.CreateCounter<long>("tts.cache.bytes_served", "By", "Audio bytes sent from the cache.");
        meter.CreateObservableGauge("tts.cache.bytes", () => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0, "By",
            "Bytes the in-memory level of the audio cache holds.");
    }

    public bool Enabled { get; }

    /// <summary>Responses longer than this are not kept (nor gathered while they stream).</summary>
    public long MaxEntryBytes { get; }

    /// <summary>The key of a plain audio response, or null when it is not cacheable (cache off, engine not ready, captions, SSE, downloads).</summary>
    public SpeechCacheKey? KeyFor(SpeechJob job, SpeechOutput output, ISpeechEngine engine)
    {
        if (!Enabled || output.Body != SpeechBody.Audio || output.DownloadFormat is not null || engine.Identity is not { } identity)
        {
            return null;
        }

        var recipe = string.Join('\n',
            "speech/v1",
            identity,
            job.Text,
            job.Voice.Name,
            job.Language.Code.ToString(),
            job.Speed.ToString("R", CultureInfo.InvariantCulture),
            job.Volume.ToString("R", CultureInfo.InvariantCulture),
            output.Encoding.ToString(),
            output.Stream ? "stream" : "whole",
            job.Normalization.ToString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipe)));
        return new SpeechCacheKey($"pattern-tts:speech:{hash}", $"\"{hash[..32]}\"");
    }

    public async Task<CachedSpeech?> GetAsync(SpeechCacheKey key, CancellationToken cancellationToken)
    {
        var bytes = await _cache.GetOrCreateAsync<byte[]?>(key.Key, static _ => ValueTask.FromResult<byte[]?>(null), LookupOnly, cancellationToken: cancellationToken);
        var entry = bytes is null ? null : CachedSpeech.FromBytes(bytes);
        if (entry is null)
        {
            _misses.Add(1);
        }
        else
        {
            Served(entry.Body.Length);
        }

        return entry;
    }

    public async Task SetAsync(SpeechCacheKey key, CachedSpeech entry, CancellationToken cancellationToken)
    {
        if (entry.Body.Length <= MaxEntryBytes)
        {
            await _cache.SetAsync(key.Key, entry.ToBytes(), _store, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Counts a hit: an entry sent (<paramref name="bytes"/> &gt; 0) or a 304 the client's copy made possible.</summary>
    public void Served(long bytes)
    {
        _hits.Add(1);
        if (bytes > 0)
        {
            _bytesServed.Add(bytes);
        }
    }
}
