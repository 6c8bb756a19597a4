using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Testing;

/// <summary>
/// A private PostgreSQL server for tests and benchmarks: initdb into a temporary folder, pg_ctl start on a
/// free loopback port with trust authentication and a socket folder of its own, stopped and removed on
/// dispose. Uses Debian's server binaries (/usr/lib/postgresql/*/bin); as root it runs them through
/// <c>runuser -u postgres --</c>, since initdb refuses root. <see cref="StopAsync"/> and <see cref="RestartAsync"/>
/// take it away and bring it back on the same port, for tests of a lost database. Dependency-free so any test project
/// or benchmark can link it with tests/Shared/FreePorts.cs:
/// <c>&lt;Compile Include="../Shared/PostgresServer.cs" Link="Shared/PostgresServer.cs" /&gt;</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binaries;
    private readonly bool _asServiceUser;
    private string _serverOptions = "";
    private int _disposed;

    private PostgresServer(string binaries, string root, bool asServiceUser)
    {
        _binaries = binaries;
        Root = root;
        _asServiceUser = asServiceUser;
    }

    /// <summary>The loopback address the server listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The temporary folder holding the data directory, socket folder and server log.</summary>
    public string Root { get; }

    private string DataDirectory => Path.Combine(Root, "data");

    private string SocketDirectory => Path.Combine(Root, "socket");

    private string LogFile => Path.Combine(Root, "server.log");

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser <c>postgres</c>.</summary>
    public string ConnectionString(string database) =>
        $"Host={Host};Port={Port};Username={ServiceUser};Database={database};Timeout=5";

    /// <summary>
    /// Starts a server; <paramref name="settings"/> are extra <c>-c name=value</c> server settings.
    /// Throws when the binaries are missing or the server does not start, with the server log.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(IEnumerable<string>? settings = null, CancellationToken cancellationToken = default)
    {
        var binaries = FindBinaries();
        var asServiceUser = Environment.UserName == "root";
        var root = Path.Combine(Path.GetTempPath(), $"switchboard-pg-{Guid.NewGuid():N}");
        var server = new PostgresServer(binaries, root, asServiceUser);
        try
        {
            Directory.CreateDirectory(server.SocketDirectory);
            if (asServiceUser)
            {
                await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", root], cancellationToken).ConfigureAwait(false);
            }
            await server.RunServerToolAsync("initdb",
                ["-D", server.DataDirectory, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                cancellationToken).ConfigureAwait(false);

            var options = new StringBuilder($"-c listen_addresses={server.Host} -k {server.SocketDirectory}");
            foreach (var setting in settings ?? [])
            {
                options.Append(" -c ").Append(setting);
            }
            server._serverOptions = options.ToString();
            // A free port can be taken between probing and binding: try a few.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = FreePorts.Next();
                try
                {
                    await server.PgCtlStartAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                }
            }
            return server;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var log = File.Exists(server.LogFile) ? await File.ReadAllTextAsync(server.LogFile, cancellationToken).ConfigureAwait(false) : "(no server log)";
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The private PostgreSQL server did not start: {error.Message}\nServer log:\n{log}", error);
        }
    }

    /// <summary>Stops the server (fast mode: clients are disconnected, nothing committed is lost), keeping its data.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], cancellationToken);

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port and data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => PgCtlStartAsync(cancellationToken);

    private Task PgCtlStartAsync(CancellationToken cancellationToken) =>
        RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "30", "-o", $"{_serverOptions} -p {Port}", "start"], cancellationToken);

    /// <summary>Creates a database (a fresh name when none is given) and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= $"test_{Guid.NewGuid():N}";
        await RunAsync(Path.Combine(_binaries, "createdb"), ["-h", Host, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", ServiceUser, name],
            cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>Stops the server at once (immediate mode) and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunServerToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binaries, tool);
        return _asServiceUser
            ? RunAsync("runuser", ["-u", ServiceUser, "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} did not finish within {StepTimeout.TotalSeconds} s.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }
    }

    private static string FindBinaries()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Where(version => File.Exists(Path.Combine(version, "bin", "initdb")))
                .OrderByDescending(version => int.TryParse(Path.GetFileName(version), out var major) ? major : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return Path.Combine(newest, "bin");
            }
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
            {
                return folder;
            }
        }
        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were found neither under /usr/lib/postgresql/*/bin nor on PATH. " +
            "Install Debian's postgresql package: bash tests/setup.d/10-postgresql.sh");
    }
}
