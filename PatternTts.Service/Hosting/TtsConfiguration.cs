using Microsoft.Extensions.FileProviders;
using NetEscapades.Configuration.Yaml;

namespace PatternTts.Service.Hosting;

/// <summary>
/// Feeds the <c>Tts</c> section from <c>PatternTts.Service/service.yaml</c> (lowest precedence) and from the legacy Kokoro-FastAPI contract's flat
/// environment variables (highest), so TTS_PORT=8205 and Tts__Port=8205 mean the same thing.
/// </summary>
public static class TtsConfiguration
{
    public const string ConfigFileVariable = "TTS_CONFIG_FILE";

    public static readonly IReadOnlyDictionary<string, string> EnvironmentKeys = new Dictionary<string, string>
    {
        ["TTS_PORT"] = nameof(TtsOptions.Port),
        ["TTS_HOST"] = nameof(TtsOptions.Host),
        ["TTS_LOG_LEVEL"] = nameof(TtsOptions.LogLevel),
        ["TTS_MODEL_PATH"] = nameof(TtsOptions.ModelPath),
        ["TTS_VOICES_PATH"] = nameof(TtsOptions.VoicesPath),
        ["TTS_ENGINE"] = nameof(TtsOptions.Engine),
        ["USE_GPU"] = nameof(TtsOptions.UseGpu),
        ["TTS_MAX_TEXT_LENGTH"] = nameof(TtsOptions.MaxTextLength),
        ["TTS_MAX_AUDIO_SECONDS"] = nameof(TtsOptions.MaxAudioSeconds),
        ["TTS_MAX_TOTAL_PAUSE_SECONDS"] = nameof(TtsOptions.MaxTotalPauseSeconds),
        ["TTS_MAX_BUFFERED_RESPONSE_BYTES"] = nameof(TtsOptions.MaxBufferedResponseBytes),
        ["TTS_TEMP_DIR"] = nameof(TtsOptions.TempDir),
        ["TTS_INTRA_OP_THREADS"] = nameof(TtsOptions.IntraOpThreads),
        ["TTS_INTRA_OP_SPINNING"] = nameof(TtsOptions.IntraOpSpinning),
        ["TTS_MAX_CONCURRENT_SYNTHESES"] = nameof(TtsOptions.MaxConcurrentSyntheses),
        ["TTS_MAX_QUEUE_LENGTH"] = nameof(TtsOptions.MaxQueueLength),
        ["TTS_MAX_SOCKETS"] = nameof(TtsOptions.MaxSockets),
        ["TTS_SOCKET_IDLE_SECONDS"] = nameof(TtsOptions.SocketIdleSeconds),
        ["TTS_CACHE_MAX_MB"] = nameof(TtsOptions.CacheMaxMegabytes),
        ["TTS_CACHE_MAX_ENTRY_KB"] = nameof(TtsOptions.CacheMaxEntryKilobytes),
        ["TTS_CACHE_TTL_MINUTES"] = nameof(TtsOptions.CacheMinutes),
        ["TTS_INTERACTIVE_MAX_CHARACTERS"] = nameof(TtsOptions.InteractiveMaxCharacters),
        ["TTS_INTERACTIVE_RESERVED_SLOTS"] = nameof(TtsOptions.InteractiveReservedSlots),
        ["TTS_BULK_AGING_MS"] = nameof(TtsOptions.BulkAgingMilliseconds),
        ["TTS_FIRST_CHUNK_MAX_TOKENS"] = nameof(TtsOptions.FirstChunkMaxTokens),
        ["TTS_CHUNK_MAX_TOKENS"] = nameof(TtsOptions.ChunkMaxTokens),
        ["TTS_ENABLE_DEV_ENDPOINTS"] = nameof(TtsOptions.EnableDevEndpoints),
        ["TTS_ENABLE_DOCS"] = nameof(TtsOptions.EnableDocs),
        ["TTS_API_KEYS"] = nameof(TtsOptions.ApiKeys),
        ["TTS_ENABLE_WEB_PAGE"] = nameof(TtsOptions.EnableWebPage),
        ["TTS_ALLOW_VOICE_SAVING"] = nameof(TtsOptions.AllowVoiceSaving),
    };

    public static IHostApplicationBuilder AddTtsConfiguration(this IHostApplicationBuilder builder)
    {
        var file = builder.Configuration[ConfigFileVariable]
            ?? Path.Combine(AppContext.BaseDirectory, "config", "service.yaml");
        if (File.Exists(file))
        {
            var full = Path.GetFullPath(file);
            builder.Configuration.Sources.Insert(0, new YamlConfigurationSource
            {
                Path = Path.GetFileName(full),
                FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(full)!),
                Optional = true,
            });
        }

        var mapped = EnvironmentKeys
            .Select(pair => (Key: $"{TtsOptions.SectionName}:{pair.Value}", Value: Environment.GetEnvironmentVariable(pair.Key)))
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        builder.Configuration.AddInMemoryCollection(mapped);

        builder.Services.AddOptions<TtsOptions>()
            .BindConfiguration(TtsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var logLevel = builder.Configuration[$"{TtsOptions.SectionName}:{nameof(TtsOptions.LogLevel)}"];
        builder.Logging.SetMinimumLevel(ToLogLevel(logLevel));
        return builder;
    }

    /// <summary>Binds to TTS_HOST:TTS_PORT unless the host already has an address (launch profile, Aspire, ASPNETCORE_URLS).</summary>
    public static WebApplicationBuilder UseTtsUrls(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"] ?? builder.Configuration["ASPNETCORE_HTTP_PORTS"];
        if (string.IsNullOrEmpty(configured))
        {
            var host = builder.Configuration[$"{TtsOptions.SectionName}:{nameof(TtsOptions.Host)}"] ?? "0.0.0.0";
            var port = builder.Configuration[$"{TtsOptions.SectionName}:{nameof(TtsOptions.Port)}"] ?? "8205";
            builder.WebHost.UseUrls($"http://{host}:{port}");
        }

        return builder;
    }

    public static LogLevel ToLogLevel(string? name) => name?.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        "NONE" => LogLevel.None,
        _ => LogLevel.Information,
    };
}
