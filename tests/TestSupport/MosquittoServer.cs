using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace DePin.Wireless.TestSupport;

/// <summary>One user of the throw-away broker with its ACL lines (mosquitto acl_file syntax, e.g. "topic read a/#").</summary>
public sealed record MosquittoUser(string UserName, string Password, IReadOnlyList<string> AclLines);

/// <summary>
/// A real Debian mosquitto broker on a free 127.0.0.1 port with a generated config, password file
/// (mosquitto_passwd -b -c) and ACL file; anonymous access is off. Stop/Restart keep the port, so
/// clients can be tested across a broker restart. The process is killed and the directory removed on dispose.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    public const string MosquittoPath = "/usr/sbin/mosquitto";
    public const string PasswdPath = "/usr/bin/mosquitto_passwd";

    private readonly string _directory;
    private readonly string _configPath;
    private Process? _process;
    private readonly StringBuilder _log = new();

    private MosquittoServer(string directory, string configPath, int port)
    {
        _directory = directory;
        _configPath = configPath;
        Port = port;
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string ConfigDirectory => _directory;

    /// <summary>Broker stdout/stderr so far (useful in assertion messages).</summary>
    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>
    /// Starts a broker. <paramref name="aclFileText"/> overrides the ACL built from the users' AclLines
    /// (used to test generated ACL files). <paramref name="extraConfig"/> is appended to the listener block.
    /// </summary>
    public static async Task<MosquittoServer> StartAsync(IReadOnlyList<MosquittoUser> users, string? aclFileText = null, string? extraConfig = null)
    {
        if (!File.Exists(MosquittoPath))
        {
            throw new InvalidOperationException($"{MosquittoPath} not found: install the Debian package 'mosquitto' (scripts/install-deps.sh)");
        }

        var directory = Path.Combine(Path.GetTempPath(), "depin-mqtt-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var passwordFile = Path.Combine(directory, "passwd");
        var aclFile = Path.Combine(directory, "acl");
        for (var i = 0; i < users.Count; i++)
        {
            // -c creates the file for the first user; later users are added to it.
            string[] args = i == 0 ? ["-b", "-c", passwordFile, users[i].UserName, users[i].Password] : ["-b", passwordFile, users[i].UserName, users[i].Password];
            await ExternalProcess.RunCheckedAsync(PasswdPath, args);
        }

        await File.WriteAllTextAsync(aclFile, aclFileText ?? BuildAcl(users));
        var port = FreePort.Tcp();
        var configPath = Path.Combine(directory, "mosquitto.conf");
        var config = new StringBuilder()
            .AppendLine("per_listener_settings false")
            .AppendLine("persistence false")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("allow_anonymous false")
            .AppendLine($"password_file {passwordFile}")
            .AppendLine($"acl_file {aclFile}")
            .AppendLine($"listener {port} 127.0.0.1")
            .AppendLine(extraConfig ?? "")
            .ToString();
        await File.WriteAllTextAsync(configPath, config);
        if (ExternalProcess.IsRoot)
        {
            // mosquitto drops privileges to user 'mosquitto' when started as root; it must still read its files.
            await ExternalProcess.RunCheckedAsync("chmod", ["-R", "a+rX", directory]);
        }

        var server = new MosquittoServer(directory, configPath, port);
        try
        {
            await server.StartProcessAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Kills the broker (SIGKILL: sessions without persistence are lost, as in a crash).</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>Stops and starts again on the same port with the same configuration.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    /// <summary>Freezes the broker (SIGSTOP): sockets stay open but nothing is answered, like a hung broker.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Resumes a paused broker (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    public async ValueTask DisposeAsync()
    {
        if (_process is { } p && !p.HasExited)
        {
            await ResumeAsync(); // a stopped process cannot exit from SIGKILL until scheduled; harmless otherwise
        }

        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary directory; the OS cleans it later.
        }
    }

    private async Task SignalAsync(string signal)
    {
        if (_process is { } p)
        {
            await ExternalProcess.RunCheckedAsync("kill", [signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }

    private async Task StartProcessAsync()
    {
        var psi = new ProcessStartInfo(MosquittoPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_configPath);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start mosquitto");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilAcceptingAsync(process);
    }

    private async Task WaitUntilAcceptingAsync(Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {process.ExitCode} on start: {Log}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(Host, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException($"mosquitto did not accept connections on {Host}:{Port} within 15 s: {Log}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string BuildAcl(IReadOnlyList<MosquittoUser> users)
    {
        var acl = new StringBuilder();
        foreach (var user in users)
        {
            acl.AppendLine($"user {user.UserName}");
            foreach (var line in user.AclLines)
            {
                acl.AppendLine(line);
            }

            acl.AppendLine();
        }

        return acl.ToString();
    }
}
