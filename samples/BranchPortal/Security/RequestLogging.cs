using System.Diagnostics;

namespace BranchPortal.Security;

/// <summary>
/// Logs one structured line per request through <see cref="ILogger"/>: method, path (never the query string, which
/// may carry names), status, time taken and the signed-in user.
/// </summary>
public static partial class RequestLogging
{
    /// <summary>Adds the middleware; put it first so that it sees the final status.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("BranchPortal.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                Request(
                    logger,
                    context.Request.Method,
                    context.Request.Path.Value ?? "/",
                    context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "?" : "-");
            }
        });
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms for {User}")]
    private static partial void Request(ILogger logger, string method, string path, int statusCode, double elapsedMs, string user);
}
