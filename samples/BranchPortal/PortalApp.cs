using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BranchPortal.Accounts;
using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.WebEncoders;

namespace BranchPortal;

/// <summary>What the pages need to know about the process: the branch's time zone and whether this is the demo.</summary>
/// <param name="TimeZone">The branch's time zone (times on pages, "today").</param>
/// <param name="IsDemo">True for the demo registry.</param>
public sealed record PortalContext(TimeZoneInfo TimeZone, bool IsDemo)
{
    /// <summary>The branch's day at an instant.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The day.</returns>
    public DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime);

    /// <summary>An instant as the branch's local time, for a page.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The local time.</returns>
    public string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

/// <summary>Builds the portal: the registry and its workflows through dependency injection, sign-in, localization, pages.</summary>
public static class PortalApp
{
    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The branch's policy: the library's default, with the reports also open to organizers and coordinators, as the
    /// /Reports folder is (<see cref="PortalPolicies.Reports"/>).
    /// </summary>
    public static readonly PermissionPolicy Permissions = PermissionPolicy.Default
        .Allow(RegistryAction.ReadReports, Role.Organizer)
        .Allow(RegistryAction.ReadReports, Role.Coordinator);

    /// <summary>
    /// Who the drive workflow's own steps act as (listing a drive's typed donors and closing it after the lab's results,
    /// which no user's event asks for): a service actor with exactly the roles those verbs need.
    /// </summary>
    public static readonly Actor WorkflowActor = Actor.For("workflow.campus-drive", Role.Organizer, Role.Coordinator);

    /// <summary>The languages: Chinese first (the default), English.</summary>
    public static readonly IReadOnlyList<CultureInfo> Cultures = [new("zh-CN"), new("en")];

    /// <summary>Builds the application (nothing is opened or served yet).</summary>
    /// <param name="settings">The command line.</param>
    /// <returns>The application.</returns>
    /// <exception cref="PortalStartException">The key is missing or unreadable.</exception>
    public static WebApplication Build(PortalSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. settings.HostArguments],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // wwwroot is served from the project folder when run from the build output (dotnet run, the tests), and from
        // the published wwwroot after dotnet publish: no build step, no CDN.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(PortalSettings.DefaultUrls);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Logging.AddFilter("WorkflowCore", LogLevel.Warning);

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var (path, key) = settings.IsDemo ? DemoKey(settings.DemoFolder) : RealKey(settings);
        builder.Services.AddSingleton(new PortalContext(zone, settings.IsDemo));
        builder.Services.AddDonorRegistry(o =>
        {
            o.DatabasePath = path;
            o.RegistryKey = key;
            o.CreateIfMissing = settings.IsDemo;
            o.TimeZone = zone;
            o.MaxFailedSignIns = MaxFailedSignIns;
            o.LockoutDuration = LockoutDuration;

            // Every page acts as its signed-in user (PortalActor), never as a bare name: the library's policy decides.
            o.RequireRoles = true;
            o.Permissions = Permissions;
        }).AddWorkflows(o =>
        {
            o.PollInterval = TimeSpan.FromSeconds(2);
            o.ServiceActor = WorkflowActor;
        });

        if (settings.IsDemo)
        {
            builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.DemoFolder, "data-protection")));
        }

        // Users and roles live in the registry (registry.Users), with the library's lockout rule.
        builder.Services.AddSingleton<IAccountStore, RegistryAccountStore>();
        builder.Services.AddSingleton<PortalSignIn>();
        builder.Services.AddSingleton<OneTimeFormTokens>();
        builder.Services.AddScoped<BulkEnrolment>();
        builder.Services.AddSingleton<PersonalDataDisplay>();

        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddSingleton<IStringLocalizer<SharedResource>, PortalStrings>(); // with the operator's log (LibraryErrors)

        // Chinese text as text, not as &#x...; entities (everything is still HTML-encoded).
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/Account/SignIn";
            o.LogoutPath = "/Account/SignOut";
            o.Cookie.Name = "BranchPortal.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;

            // Roles as the registry holds them now, on every request: a role change applies on the next request.
            o.Events.OnValidatePrincipal = ForbiddenAccess.ValidatePrincipalAsync;

            // The wrong role gets 403 at the page's own address (the status page renders it), not a redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization(PortalPolicies.Add);
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAccess.ResultHandler>();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "BranchPortal.Antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Organizer", PortalPolicies.Organizer);
            o.Conventions.AuthorizeFolder("/Lab", PortalPolicies.Lab);
            o.Conventions.AuthorizeFolder("/Coordinator", PortalPolicies.Coordinator);
            o.Conventions.AuthorizeFolder("/Admin", PortalPolicies.Administrator);
            o.Conventions.AuthorizeFolder("/Reports", PortalPolicies.Reports);
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            o.Conventions.AllowAnonymousToPage("/Culture");
            o.Conventions.AllowAnonymousToPage("/Status");
        }).AddViewLocalization();
        // The model binder's own messages (a date or number the browser did not check) in the page's language.
        builder.Services.AddOptions<MvcOptions>().Configure<IStringLocalizerFactory>((o, factory) =>
        {
            var t = factory.Create(typeof(SharedResource));
            var messages = o.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((value, _) => t["Binding.Invalid", value]);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => t["Binding.Invalid", value]);
            messages.SetUnknownValueIsInvalidAccessor(_ => t["Binding.Unknown"]);
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => t["Binding.Unknown"]);
            messages.SetValueIsInvalidAccessor(value => t["Binding.Invalid", value]);
            messages.SetValueMustBeANumberAccessor(_ => t["Binding.Number"]);
            messages.SetNonPropertyValueMustBeANumberAccessor(() => t["Binding.Number"]);
            messages.SetValueMustNotBeNullAccessor(_ => t["Error.Required"]);
            messages.SetMissingBindRequiredValueAccessor(_ => t["Error.Required"]);
            messages.SetMissingKeyOrValueAccessor(() => t["Error.Required"]);
        });
        builder.Services.AddHealthChecks().AddCheck<RegistryHealthCheck>("registry");

        var app = builder.Build();
        app.UseRequestLogging();
        app.UseSecurityHeaders();
        app.UseExceptionHandler("/Status");
        app.UseStatusCodePagesWithReExecute("/Status", "?code={0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Cultures[0]),
            SupportedCultures = [.. Cultures],
            SupportedUICultures = [.. Cultures],

            // Chinese unless the user chose English with the switch (a cookie); the browser's language is not asked.
            RequestCultureProviders = [new CookieRequestCultureProvider()],
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAccessDeniedAsForbidden();
        app.MapRazorPages();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        return app;
    }

    private static (string Path, RegistryKey Key) DemoKey(string folder)
    {
        Directory.CreateDirectory(folder);
        var keyFile = Path.Combine(folder, "demo.key");
        var database = Path.Combine(folder, "chaoyang.db");
        if (!File.Exists(keyFile) || !File.Exists(database))
        {
            // A new demo: nothing of an earlier, unfinished one is kept (the key must match the files).
            foreach (var file in Directory.EnumerateFiles(folder, "chaoyang.db*"))
            {
                File.Delete(file);
            }

            var key = RegistryKey.Generate();
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(keyFile, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ToBase64());
            }

            return (database, key);
        }

        return (database, RegistryKey.FromBase64(File.ReadAllText(keyFile).Trim()));
    }

    private static (string Path, RegistryKey Key) RealKey(PortalSettings settings)
    {
        string text;
        if (settings.KeyFile is { } file)
        {
            try
            {
                text = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PortalStartException($"The key file '{file}' cannot be read ({e.Message}).");
            }
        }
        else
        {
            text = Environment.GetEnvironmentVariable(PortalSettings.KeyVariable)
                ?? throw new PortalStartException($"--registry needs the registry key: give --key-file PATH or set {PortalSettings.KeyVariable} (base64).");
        }

        try
        {
            return (settings.RegistryPath!, RegistryKey.FromBase64(text));
        }
        catch (RegistryValidationException e)
        {
            throw new PortalStartException($"The registry key is not a key: {e.Message}");
        }
    }

    /// <summary>Healthy while the registry answers a query.</summary>
    private sealed class RegistryHealthCheck(Registry registry) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                registry.Donors.Count();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (DonorRegistryException e)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(e.GetType().Name));
            }
        }
    }
}

/// <summary>The portal cannot start: the message says why and what to do.</summary>
/// <param name="message">The message.</param>
public sealed class PortalStartException(string message) : Exception(message);
