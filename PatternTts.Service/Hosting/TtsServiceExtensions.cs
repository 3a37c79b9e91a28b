using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PatternTts.Service.Hosting;

public static class TtsServiceExtensions
{
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
