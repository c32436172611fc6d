using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Threading.Channels;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Storage;

/// <summary>Options of a report file store.</summary>
public sealed record ReportFileStoreOptions
{
    /// <summary>Directory that holds the files.</summary>
    public required string Directory { get; init; }

    /// <summary>File name prefix, e.g. "beacon_report" (files are "{prefix}.{startUnixMs}.gz").</summary>
    public required string Prefix { get; init; }

    /// <summary>A new file is started after this long (5 min, as Helium's ingest rolls its S3 files).</summary>
    public TimeSpan RollInterval { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// An append-only store of protobuf records in gzip files named by time. Each append is durable (written and
/// fsynced) before its task completes, so ingest can reply 200 only for reports that survive a crash.
/// Concurrent appends are group-committed: one gzip member and one fsync for all records waiting, which keeps
/// throughput high without weakening durability. Files are concatenations of gzip members, each holding
/// length-delimited records, so a crash can at worst leave a torn last member, which readers detect and skip.
/// </summary>
public sealed class ReportFileStore : IAsyncDisposable
{
    private readonly ReportFileStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private FileStream? _file;
    private DateTimeOffset _fileStart;

    public ReportFileStore(ReportFileStoreOptions options, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(options.Prefix) || options.Prefix.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("report store prefix must be non-empty and contain no '.'", nameof(options));
        }

        if (options.RollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("RollInterval must be positive", nameof(options));
        }

        _options = options;
        _time = time;
        Directory.CreateDirectory(options.Directory);
        _writer = Task.Run(WriteLoopAsync);
    }

    public long RecordsWritten { get; private set; }

    /// <summary>Appends one record; completes when it is on disk.</summary>
    public Task AppendAsync(IMessage record, CancellationToken cancellationToken = default)
    {
        var pending = new PendingAppend(record.ToByteArray());
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Files of a store whose start time falls in [from, to), in time order.</summary>
    public static IReadOnlyList<(string Path, DateTimeOffset Start)> ListFiles(string directory, string prefix, DateTimeOffset from, DateTimeOffset to)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var result = new List<(string, DateTimeOffset)>();
        foreach (var path in Directory.EnumerateFiles(directory, prefix + ".*.gz"))
        {
            var name = Path.GetFileName(path);
            var middle = name.AsSpan(prefix.Length + 1, name.Length - prefix.Length - 4);
            if (long.TryParse(middle, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                var start = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                if (start >= from && start < to)
                {
                    result.Add((path, start));
                }
            }
        }

        result.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return result;
    }

    /// <summary>
    /// Reads every complete record of a file. A torn tail (a crash while writing a member that was never
    /// acknowledged) ends the file; <paramref name="tornTail"/> says whether one was found.
    /// </summary>
    public static List<T> ReadFile<T>(string path, MessageParser<T> parser, out bool tornTail)
        where T : IMessage<T>
    {
        var records = new List<T>();
        tornTail = false;
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        try
        {
            gzip.CopyTo(buffer);
        }
        catch (InvalidDataException)
        {
            tornTail = true;
        }
        catch (EndOfStreamException)
        {
            tornTail = true;
        }

        var input = new CodedInputStream(buffer.GetBuffer(), 0, (int)buffer.Length);
        while (!input.IsAtEnd)
        {
            try
            {
                records.Add(parser.ParseFrom(input.ReadBytes()));
            }
            catch (InvalidProtocolBufferException)
            {
                tornTail = true;
                break;
            }
        }

        return records;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 4096 && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await WriteBatchAsync(batch).ConfigureAwait(false);
                RecordsWritten += batch.Count;
                foreach (var p in batch)
                {
                    p.Done.TrySetResult();
                }
            }
            catch (IOException ex)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(ex);
                }

                // The failed member may be partly written; start a fresh file so later members stay readable.
                await CloseFileAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        var now = _time.GetUtcNow();
        if (_file is null || now - _fileStart >= _options.RollInterval)
        {
            await CloseFileAsync().ConfigureAwait(false);
            _fileStart = now;
            var path = Path.Combine(_options.Directory, $"{_options.Prefix}.{now.ToUnixTimeMilliseconds()}.gz");
            _file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read });
        }

        var member = new ArrayBufferWriter<byte>();
        using (var raw = new MemoryStream())
        {
            using (var gzip = new GZipStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            {
                var coded = new CodedOutputStream(gzip, leaveOpen: true);
                foreach (var p in batch)
                {
                    coded.WriteBytes(UnsafeByteOperations.UnsafeWrap(p.Bytes));
                }

                coded.Flush();
            }

            member.Write(raw.GetBuffer().AsSpan(0, (int)raw.Length));
        }

        await _file.WriteAsync(member.WrittenMemory).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
    }

    private async Task CloseFileAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
            _file = null;
        }
    }

    private sealed record PendingAppend(byte[] Bytes)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
