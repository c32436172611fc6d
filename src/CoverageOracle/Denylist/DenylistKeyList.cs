using DePin.Wireless.Core.Identity;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Denylist;

/// <summary>
/// The text input of <c>denylist sign</c>: one hotspot address (base58) per line, or two addresses separated by
/// white space for a denied beaconer–witness edge; blank lines and lines starting with '#' are ignored.
/// </summary>
public static class DenylistKeyList
{
    public static DenylistRelease Parse(TextReader reader, ulong version, string name)
    {
        var release = new DenylistRelease { Version = version };
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var where = $"{name} line {lineNumber}";
            switch (fields.Length)
            {
                case 1:
                    release.HotspotKeys.Add(Key(fields[0], where));
                    break;
                case 2:
                    release.DeniedEdges.Add(new DeniedEdge { A = Key(fields[0], where), B = Key(fields[1], where) });
                    break;
                default:
                    throw new InvalidDataException($"{where}: expected one address (hotspot) or two (denied edge), found {fields.Length} fields");
            }
        }

        return release;
    }

    private static ByteString Key(string address, string where) =>
        PublicKey.TryParseAddress(address, out var key, out var problem)
            ? ByteString.CopyFrom(key.Bytes)
            : throw new InvalidDataException($"{where}: \"{address}\" is not a hotspot address ({problem})");
}
