if (args is [ModelDownloadCommand.Name, ..])
{
    // Ctrl+C stops the download cleanly instead of killing the process mid-write.
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await ModelDownloadCommand.RunAsync(args[1..], cancel.Token);
}

if (args is [SelfTestCommand.Name, ..])
{
    return await SelfTestCommand.RunAsync(args[1..], CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTtsServices();
builder.UseTtsUrls();
builder.UseManagementPort();

var app = builder.Build();

app.UseExceptionHandler();
app.UseRejectEncodedDotSegments();
app.UseStatusCodePages(OpenAiErrorHandler.WriteStatusCodePageAsync);
app.UseTtsApiKeys();
app.UseWebSockets();

app.MapDefaultEndpoints();
app.MapHealthApi();
app.MapApiDocs();
app.MapSpeechApi();
app.MapSpeechSocket();
app.MapDownloadApi();
app.MapVoicesApi();
app.MapModelsApi();
app.MapDevApi();
app.MapWebPage();

await app.RunAsync();
return 0;
