using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>
/// Serves the built map page (web/dist, copied to the output folder map/) from a directory: "/" is
/// index.html, other paths are files under the root; nothing outside the root is ever served.
/// </summary>
public sealed class StaticPage
{
    private const string IndexFile = "index.html";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly string root;

    public StaticPage(string staticRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staticRoot);
        root = Path.GetFullPath(staticRoot);
    }

    public Task ServeAsync(HttpContext context)
    {
        var requested = context.Request.Path.Value?.TrimStart('/') ?? string.Empty;
        if (requested.Length == 0)
        {
            return File.Exists(Path.Combine(root, IndexFile))
                ? SendAsync(context, Path.Combine(root, IndexFile))
                : CoverageMapEndpoints.WriteTextAsync(context, 503,
                    $"The coverage map page is not built: {Path.Combine(root, IndexFile)} is missing. Run scripts/build-web.sh, then rebuild.");
        }

        var full = Path.GetFullPath(Path.Combine(root, requested));
        var inside = full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (!inside || !File.Exists(full))
        {
            return CoverageMapEndpoints.WriteTextAsync(context, 404, $"not found: /{requested}");
        }

        return SendAsync(context, full);
    }

    private static Task SendAsync(HttpContext context, string path)
    {
        var contentType = ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
        // Vite names files under assets/ by content hash, so they never change; everything else
        // (index.html names the current build's assets) must be revalidated.
        var hashed = path.Contains($"{Path.DirectorySeparatorChar}assets{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        context.Response.Headers.CacheControl = hashed ? "public, max-age=31536000, immutable" : "no-cache";
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        return context.Response.SendFileAsync(path, context.RequestAborted);
    }
}
