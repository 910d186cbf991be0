namespace BranchPortal;

/// <summary>
/// The portal's own command line. Everything else (<c>--urls</c>, <c>--Logging:LogLevel:Default</c>, ...) goes to
/// ASP.NET Core's configuration. The registry key is never taken from the command line.
/// </summary>
public sealed class PortalSettings
{
    /// <summary>The default address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The environment variable that may hold the registry key (base64).</summary>
    public const string KeyVariable = "DONORREGISTRY_KEY";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        BranchPortal: the Chaoyang district branch's web portal (organizers, lab, coordinators).

        Usage: dotnet run --project samples/BranchPortal -- [options]

        Without --registry it serves a demo registry, made on the first run in --demo-dir, with one demo account per role.

        Options:
          --registry PATH   open this registry file (it must exist) instead of the demo
          --key-file PATH   the registry key (base64) in a file only you can read; else the environment variable DONORREGISTRY_KEY
          --demo-dir DIR    where the demo registry is kept (default: the system's temp folder, donorregistry-branchportal-demo)
          --urls URLS       where to listen (default: http://127.0.0.1:5080, loopback only); also ASPNETCORE_URLS or "urls" in configuration
          -h, --help        print this help and exit

        The key is never given on the command line: other users see the process list, and the shell keeps a history.
        """;

    /// <summary>The registry file to open, or null for the demo.</summary>
    public string? RegistryPath { get; private set; }

    /// <summary>The file that holds the key, or null for the environment variable.</summary>
    public string? KeyFile { get; private set; }

    /// <summary>Where the demo registry is kept.</summary>
    public string DemoFolder { get; private set; } = Path.Combine(Path.GetTempPath(), "donorregistry-branchportal-demo");

    /// <summary>True when the demo runs.</summary>
    public bool IsDemo => RegistryPath is null;

    /// <summary>The arguments left for ASP.NET Core.</summary>
    public IReadOnlyList<string> HostArguments { get; private set; } = [];

    /// <summary>True when --help was asked for.</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">An option is refused (with what is allowed).</exception>
    public static PortalSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new PortalSettings();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "-h" or "--help":
                    settings.HelpRequested = true;
                    break;
                case "--registry":
                    settings.RegistryPath = Path.GetFullPath(Value());
                    break;
                case "--key-file":
                    settings.KeyFile = Path.GetFullPath(Value());
                    break;
                case "--demo-dir":
                    settings.DemoFolder = Path.GetFullPath(Value());
                    break;
                case "--key" or "--registry-key":
                    throw new ArgumentException($"{arg} is refused: the registry key is never given on the command line; use --key-file PATH or the environment variable {KeyVariable}.");
                default:
                    rest.Add(arg);
                    break;
            }
        }

        if (settings.KeyFile is not null && settings.RegistryPath is null)
        {
            throw new ArgumentException("--key-file goes with --registry; the demo keeps its own key in --demo-dir.");
        }

        settings.HostArguments = rest;
        return settings;
    }
}
