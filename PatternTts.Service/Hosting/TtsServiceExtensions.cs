using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PatternTts.Service.Hosting;

public static class TtsServiceExtensions
{
    /// <summary>The connection string (ConnectionStrings:redis) of the Redis the replicas share their audio cache through.</summary>
    public const string RedisConnectionName = "redis";

    public static IHostApplicationBuilder AddTtsServices(this IHostApplicationBuilder builder)
    {
        builder.AddTtsConfiguration();
        var services = builder.Services;

        // Pipeline stages, text → phonemes → tokens → model → samples → encoder.
        services.AddSingleton(PronunciationLexicon.LoadEmbedded());
        services.AddSingleton<SpeechTextParser>();
        services.AddSingleton<TextNormalizer>();
        services.AddSingleton<SpeechTextPreparer>();
        services.AddSingleton<EspeakLibrary>();
        services.AddSingleton<IPhonemizer, EspeakPhonemizer>();
        services.AddSingleton(KokoroVocabulary.Default);
        services.AddSingleton<ChunkPlanner>();
        services.AddSingleton<SpeechBudget>();
        services.AddSingleton<PhonemePreview>();
        services.AddSingleton<VoiceStore>();
        if (builder.Configuration.GetConnectionString(RedisConnectionName) is { Length: > 0 } voicesRedis)
        {
            // Saved voices are few and small: one shared connection, connected in the background.
            services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => StackExchange.Redis.ConnectionMultiplexer.Connect(
                StackExchange.Redis.ConfigurationOptions.Parse(voicesRedis).Apply(o => o.AbortOnConnectFail = false)));
            services.AddSingleton<ISavedVoices, RedisSavedVoices>();
        }
        else
        {
            services.AddSingleton<ISavedVoices, FileSavedVoices>();
        }
        services.AddSingleton<IKokoroModelFactory, OnnxKokoroModelFactory>();
        services.AddSingleton<KokoroModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<KokoroModelHost>());
        services.AddSingleton<KokoroEngine>();
        services.AddSingleton<EspeakEngine>();
        services.AddSingleton<EngineSelector>();
        services.AddAudioEncoders();

        services.AddSingleton<SpeechRequestReader>();
        services.AddSingleton<SpeechResponse>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DownloadStore>();
        services.AddSingleton<SynthesisScheduler>();
        services.AddSingleton<SpeechSocketGate>();
        builder.AddSpeechCache();
        services.AddSingleton<TtsMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(TtsMetrics.MeterName));

        services.AddHealthChecks().AddCheck<EngineReadyCheck>("engine", tags: [HealthEndpoints.ReadyTag]);
        services.AddExceptionHandler<OpenAiErrorHandler>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = ServiceJsonContext.Readable.Options.PropertyNamingPolicy;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ServiceJsonContext.Readable);
        });
        return builder;
    }

    /// <summary>
    /// The audio cache: HybridCache over a memory cache bounded in bytes, with Redis as the second level when the
    /// <c>redis</c> connection string is set (every replica then shares what any of them synthesized).
    /// </summary>
    private static void AddSpeechCache(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMemoryCache();
        services.AddOptions<MemoryCacheOptions>().Configure<IOptions<TtsOptions>>((memory, tts) =>
        {
            memory.SizeLimit = Math.Max(1, (long)tts.Value.CacheMaxMegabytes * 1024 * 1024);
            memory.TrackStatistics = true;
        });
        services.AddHybridCache();
        services.AddOptions<HybridCacheOptions>().Configure<IOptions<TtsOptions>>((hybrid, tts) =>
        {
            // Headroom for the entry's header over the audio itself.
            hybrid.MaximumPayloadBytes = (long)tts.Value.CacheMaxEntryKilobytes * 1024 + 4096;
            hybrid.MaximumKeyLength = 128;
        });
        if (builder.Configuration.GetConnectionString(RedisConnectionName) is { Length: > 0 } redis)
        {
            services.AddStackExchangeRedisCache(options =>
            {
                options.Configuration = redis;
                options.InstanceName = "pattern-tts:";
            });
        }

        services.AddSingleton<SpeechCache>();
    }

    /// <summary>With TTS_API_KEYS set, the speech API and the dev endpoints need one of its keys; probes never do.</summary>
    public static WebApplication UseTtsApiKeys(this WebApplication app)
    {
        var keys = Microsoft.Extensions.Hosting.ApiKeys.Parse(app.Services.GetRequiredService<IOptions<TtsOptions>>().Value.ApiKeys);
        app.UseApiKeys(keys, path => path.StartsWithSegments("/v1") || path.StartsWithSegments("/dev"));
        return app;
    }

    /// <summary>Swagger UI at /docs and ReDoc at /redoc, both reading /openapi.json.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        if (!FeatureSwitch.IsOn(app.Services.GetRequiredService<IOptions<TtsOptions>>().Value.EnableDocs, app.Environment))
        {
            return app;
        }

        app.MapOpenApi("/openapi.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi.json", "Pattern TTS");
            options.RoutePrefix = "docs";
        });
        app.UseReDoc(options =>
        {
            options.SpecUrl = "/openapi.json";
            options.RoutePrefix = "redoc";
        });
        return app;
    }
}
