using PatternTts.Service.Apis;
using PatternTts.Service.Configuration;
using PatternTts.Service.Extensions;
using PatternTts.Service.ModelDownload;

if (args is [ModelDownloadCommand.Name, ..])
{
    return await ModelDownloadCommand.RunAsync(args[1..], CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTtsServices();
builder.UseTtsUrls();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages(OpenAiErrorHandler.WriteStatusCodePageAsync);

app.MapDefaultEndpoints();
app.MapHealthApi();
app.MapApiDocs();
app.MapSpeechApi();
app.MapVoicesApi();
app.MapModelsApi();
app.MapDevApi();
app.MapWebPage();

await app.RunAsync();
return 0;
