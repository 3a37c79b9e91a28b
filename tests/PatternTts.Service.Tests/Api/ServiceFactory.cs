using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace PatternTts.Service.Tests.Api;

/// <summary>
/// The service in memory. By default it runs as Development without a model (the espeak-ng engine) over the real
/// voices that <c>scripts/install-voices.sh</c> put in <c>.voices/</c>; <see cref="WithStandIn"/> gives it the
/// generated stand-in model and stand-in voices instead.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Tts:ModelPath"] = "/nonexistent/kokoro",
        ["Tts:VoicesPath"] = RepoRoot.Combine(".voices"),
    };

    private string _environment = "Development";
    private string? _scratch;
    private RecordingKokoroModelFactory? _recording;

    public ServiceFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public ServiceFactory InEnvironment(string environment)
    {
        _environment = environment;
        return this;
    }

    /// <summary>The stand-in model of <paramref name="export"/>'s signature and stand-in voices af_heart, am_michael, af_bella, af_sky, bf_emma.</summary>
    public ServiceFactory WithStandIn(StandInModelOptions? export = null)
    {
        _scratch = Directory.CreateTempSubdirectory("tts-standin-").FullName;
        var voices = Path.Combine(_scratch, "voices");
        Directory.CreateDirectory(voices);
        StandInVoices.Write(voices, StandInVoiceNames);
        _settings["Tts:VoicesPath"] = voices;
        _settings["Tts:ModelPath"] = StandInModelBuilder.Write(Path.Combine(_scratch, "kokoro-v1.0.onnx"), export ?? StandInModelOptions.ExportA);
        return this;
    }

    public static readonly string[] StandInVoiceNames = ["af_heart", "am_michael", "af_bella", "af_sky", "bf_emma"];

    /// <summary>
    /// Has the host load its model through a recorder whose <paramref name="gate"/> can hold or fail calls, starts
    /// the host, and returns the recorder once the model is loaded. Call before anything else starts the host.
    /// </summary>
    public RecordingKokoroModel UseRecordingModel(Func<int, CancellationToken, Task>? gate = null)
    {
        _recording = new RecordingKokoroModelFactory(gate);
        var host = Services.GetRequiredService<KokoroModelHost>();
        if (!host.WhenLoaded.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The stand-in model did not load within 30 s.");
        }

        return _recording.Model
            ?? throw new InvalidOperationException($"The recorder did not load the model (was the host already started?): {host.Reason}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        if (_recording is { } recording)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IKokoroModelFactory>(recording));
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _scratch is not null)
        {
            try
            {
                Directory.Delete(_scratch, recursive: true);
            }
            catch (IOException)
            {
                // The ONNX session may still hold the file on a slow shutdown; the temp folder is cleaned by the OS.
            }
        }
    }
}
