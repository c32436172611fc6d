using System.Text.Json;
using DePin.Wireless.DataCredits.Api;
using DePin.Wireless.DataCredits.Evm;
using Npgsql;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>Runs a command body: JSON result on stdout (exit 0); bad input exit 2, failures exit 1, message on stderr.</summary>
public static class CommandRunner
{
    public const int BadInput = 2;
    public const int Failure = 1;

    public static async Task<int> RunAsync(Func<Task<object?>> body)
    {
        try
        {
            var result = await body();
            if (result is not null)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ApiJson.Options));
            }

            return 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is EvmRpcException or HttpRequestException or NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    public static Uri ParseRpc(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new FormatException($"--rpc: expected an http(s) URL of an EVM JSON-RPC node, got '{text}'");
        }

        return uri;
    }

    public static string RequireConnectionString(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("--db: a PostgreSQL connection string is required (e.g. 'Host=127.0.0.1;Username=postgres;Database=dc')");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"--db: not a valid PostgreSQL connection string: {e.Message}");
        }

        return text;
    }
}
