namespace PatternTts.Service.Api;

/// <summary><c>GET /v1/download/{file}</c>: the files <c>return_download_link</c> kept, as the legacy container serves them.</summary>
public static class DownloadApi
{
    public static RouteHandlerBuilder MapDownloadApi(this IEndpointRouteBuilder app) =>
        app.MapGet(DownloadStore.PathPrefix + "{file}", GetDownload)
            .WithTags("Speech")
            .WithName("GetDownload")
            .WithSummary("A whole audio file kept for a request sent with return_download_link, for an hour at most.")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status404NotFound);

    internal static IResult GetDownload(string file, DownloadStore downloads)
    {
        var path = downloads.Find(file)
            ?? throw new ApiException(404, $"No download named '{file}': it was never made here or has expired.", "file", "download_not_found");
        var format = AudioFormats.TryParse(Path.GetExtension(file).TrimStart('.'), out var f) ? f : AudioFormat.Wav;
        return TypedResults.PhysicalFile(path, format.ContentType(), file);
    }
}
