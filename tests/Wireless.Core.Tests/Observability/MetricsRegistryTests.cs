using DePin.Wireless.Core.Observability;

namespace DePin.Wireless.Core.Tests.Observability;

public class MetricsRegistryTests
{
    [Fact]
    public void Renders_prometheus_text_format()
    {
        var m = new MetricsRegistry();
        m.Counter("packets_total", "Packets forwarded.", ("result", "ok")).Increment(3);
        m.Counter("packets_total", "Packets forwarded.", ("result", "dropped")).Increment();
        m.Gauge("queue_depth", "Reports waiting.").Set(2.5);
        Assert.Equal(
            "# HELP packets_total Packets forwarded.\n# TYPE packets_total counter\npackets_total{result=\"dropped\"} 1\npackets_total{result=\"ok\"} 3\n" +
            "# HELP queue_depth Reports waiting.\n# TYPE queue_depth gauge\nqueue_depth 2.5\n",
            m.Render());
    }

    [Fact]
    public void Same_series_is_shared_and_label_values_are_escaped()
    {
        var m = new MetricsRegistry();
        m.Counter("c", "h", ("l", "a\"b")).Increment();
        m.Counter("c", "h", ("l", "a\"b")).Increment();
        Assert.Contains("c{l=\"a\\\"b\"} 2\n", m.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_names_and_type_clashes_are_rejected()
    {
        var m = new MetricsRegistry();
        Assert.Throws<ArgumentException>(() => m.Counter("1bad", "h"));
        Assert.Throws<ArgumentException>(() => m.Counter("ok", "h", ("bad-label", "v")));
        m.Counter("x", "h");
        Assert.Throws<InvalidOperationException>(() => m.Gauge("x", "h"));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Counter("y", "h").Increment(-1));
    }
}
