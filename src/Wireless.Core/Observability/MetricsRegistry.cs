using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace DePin.Wireless.Core.Observability;

/// <summary>
/// Counters and gauges rendered in the Prometheus text exposition format 0.0.4, served at /metrics by every
/// service. Small on purpose: thread-safe, allocation-free on increment, labels fixed when a series is created.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, Family> _families = new(StringComparer.Ordinal);

    public Counter Counter(string name, string help, params (string Name, string Value)[] labels) =>
        (Counter)GetFamily(name, help, "counter").Series.GetOrAdd(LabelText(labels), _ => new Counter());

    public Gauge Gauge(string name, string help, params (string Name, string Value)[] labels) =>
        (Gauge)GetFamily(name, help, "gauge").Series.GetOrAdd(LabelText(labels), _ => new Gauge());

    /// <summary>Renders every series, families sorted by name so the output is stable.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var (labels, series) in family.Series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                sb.Append(family.Name).Append(labels).Append(' ')
                  .Append(series.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return sb.ToString();
    }

    private Family GetFamily(string name, string help, string type)
    {
        ValidateName(name);
        var family = _families.GetOrAdd(name, n => new Family(n, help, type));
        if (family.Type != type)
        {
            throw new InvalidOperationException($"metric {name} is already registered as a {family.Type}");
        }

        return family;
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name", nameof(name));
        }
    }

    private static string LabelText((string Name, string Value)[] labels)
    {
        if (labels.Length == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder("{");
        for (var i = 0; i < labels.Length; i++)
        {
            ValidateName(labels[i].Name);
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(labels[i].Name).Append("=\"")
              .Append(labels[i].Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
              .Append('"');
        }

        return sb.Append('}').ToString();
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed record Family(string Name, string Help, string Type)
    {
        public ConcurrentDictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);
    }
}

public abstract class Series
{
    public abstract double Value { get; }
}

/// <summary>A monotonically increasing count.</summary>
public sealed class Counter : Series
{
    private long _value;

    public override double Value => Interlocked.Read(ref _value);

    public void Increment(long by = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by);
        Interlocked.Add(ref _value, by);
    }
}

/// <summary>A value that goes up and down.</summary>
public sealed class Gauge : Series
{
    private long _bits;

    public override double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));
}
