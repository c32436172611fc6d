using System.IO.Compression;
using DePin.Wireless.CoverageOracle.Service;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.VerifyRunner;

/// <summary>
/// Writes a window's outputs as report-store files named by the window start ("poc.{fromMs}.gz", ...), in the
/// store's format (gzip of length-delimited records). Each file is written to a temporary name, fsynced and
/// renamed, so re-running a window replaces its outputs atomically and the same inputs give the same files.
/// </summary>
public static class VerifiedOutputFiles
{
    public static IReadOnlyList<string> Write(string directory, DateTimeOffset from, WindowVerification verification)
    {
        Directory.CreateDirectory(directory);
        return
        [
            WriteOne(directory, ReportPrefixes.Poc, from, verification.Pocs),
            WriteOne(directory, ReportPrefixes.InvalidBeacon, from, verification.InvalidBeacons),
            WriteOne(directory, ReportPrefixes.InvalidWitness, from, verification.InvalidWitnesses),
        ];
    }

    private static string WriteOne(string directory, string prefix, DateTimeOffset from, IEnumerable<IMessage> records)
    {
        var path = Path.Combine(directory, $"{prefix}.{from.ToUnixTimeMilliseconds()}.gz");
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
            {
                var coded = new CodedOutputStream(gzip, leaveOpen: true);
                foreach (var r in records)
                {
                    coded.WriteBytes(r.ToByteString());
                }

                coded.Flush();
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return path;
    }
}
