using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace PatternTts.Service.Api;

/// <summary><c>GET /web</c>: a single self-contained page to try voices, mixes, formats and word captions.</summary>
public static class WebPageApi
{
    internal const string ResourceName = "PatternTts.Service.Web.index.html";

    // Embedded in the assembly so the page is there however the service runs: dotnet run, a plain build in any
    // environment, publish or the container.
    private static readonly Lazy<(byte[] Content, EntityTagHeaderValue ETag)> Page = new(LoadPage);

    // The page carries its CSS and script inline and talks only to this service; the policy holds it to that, so a
    // stray CDN link or third-party fetch fails loudly in the browser (and in the headless test) instead of leaking.
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; " +
        "media-src 'self' blob:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static RouteGroupBuilder MapWebPage(this IEndpointRouteBuilder app)
    {
        var web = app.MapGroup("/web").WithTags("Web").ExcludeFromDescription();
        if (!FeatureSwitch.IsOn(app.ServiceProvider.GetRequiredService<IOptions<TtsOptions>>().Value.EnableWebPage,
                app.ServiceProvider.GetRequiredService<IHostEnvironment>()))
        {
            return web;
        }

        web.MapGet("/", GetPage).WithName("WebPage");
        web.MapGet("/index.html", GetPage);
        return web;
    }

    internal static FileContentHttpResult GetPage(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        var (content, etag) = Page.Value;
        return TypedResults.File(content, "text/html; charset=utf-8", entityTag: etag);
    }

    private static (byte[], EntityTagHeaderValue) LoadPage()
    {
        using var stream = typeof(WebPageApi).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded page '{ResourceName}' is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content).AsSpan(0, 8));
        return (content, new EntityTagHeaderValue($"\"{hash}\""));
    }
}
