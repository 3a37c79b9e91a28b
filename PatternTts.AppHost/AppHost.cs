using PatternTts.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Parameters
var modelPath = builder.AddParameter("tts-model-path", "models", publishValueAsDefault: true)
    .WithDescription("Kokoro .onnx file, or a folder holding one, passed to the service as TTS_MODEL_PATH.");
var rolloutPercentage = builder.AddParameter("rollout-percentage", "0", publishValueAsDefault: true)
    .WithDescription("Share of traffic (0-100) the router sends to the new service when it starts.");
// Not persisted: each run gets a fresh key unless Parameters:router-admin-key is set.
var adminKey = builder.AddParameter(
        "router-admin-key",
        new GenerateParameterDefault { MinLength = 32, Special = false },
        secret: true,
        persist: false)
    .WithDescription("Bearer key for the router's /admin API; the dashboard commands send it.");

var containers = ContainerRuntimeProbe.Run(builder);
var legacy = builder.AddLegacyTts(builder.GetLegacyMode(), containers);
var (rolloutStore, rolloutStoreServer) = builder.AddRolloutStore(containers);

// Services
var tts = builder.AddProject<Projects.PatternTts_Service>("tts-service")
    .WithThisBuildsOutput()
    .WithDirectArmEndpoint()
    .WithEnvironment("TTS_MODEL_PATH", modelPath)
    // The same Redis is the audio cache's second level, so what one replica synthesized the others serve.
    .WithReference(rolloutStore).WaitFor(rolloutStoreServer)
    // /ready, not /health: /health always answers 200 with the truth in its body, /ready is 503 until the engine
    // can serve (model loading, or missing outside Development), which is what WaitFor must wait on.
    .WithHttpHealthCheck("/ready");

// Reverse proxies: two replicas, as in production, sharing one rollout through Redis.
builder.AddProject<Projects.PatternTts_Router>("router")
    .WithThisBuildsOutput()
    .WithReplicas(2)
    .WithExternalHttpEndpoints()
    .WithReference(rolloutStore).WaitFor(rolloutStoreServer)
    .WithReference(tts).WaitFor(tts)
    .WithLegacyReference(legacy).WaitFor(legacy)
    // Addresses resolve through service discovery (services__<name>__http__0), set by the references above.
    .WithEnvironment("ReverseProxy__Clusters__new__Destinations__d1__Address", "http://tts-service")
    .WithEnvironment("ReverseProxy__Clusters__legacy__Destinations__d1__Address", "http://legacy-tts")
    .WithEnvironment("Rollout__Percentage", rolloutPercentage)
    .WithEnvironment("Rollout__AdminKey", adminKey)
    .WithHttpHealthCheck("/health")
    .WithRolloutCommands(adminKey);

builder.Build().Run();
