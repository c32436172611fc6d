using DePin.Wireless.NetworkServer.Mqtt;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

public class ReconnectBackoffTests
{
    [Fact]
    public void Without_jitter_delay_doubles_until_the_cap()
    {
        var backoff = new ReconnectBackoff(new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), JitterFraction = 0 }, new Random(1));
        var delays = Enumerable.Range(0, 6).Select(a => backoff.DelayFor(a).TotalMilliseconds).ToArray();
        Assert.Equal(new double[] { 100, 200, 400, 800, 1000, 1000 }, delays);
        Assert.Equal(1000, backoff.DelayFor(int.MaxValue).TotalMilliseconds);
    }

    [Fact]
    public void Jitter_stays_within_the_fraction_and_below_the_cap()
    {
        var options = new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3), JitterFraction = 0.2 };
        var backoff = new ReconnectBackoff(options, new Random(42));
        var first = Enumerable.Range(0, 200).Select(_ => backoff.DelayFor(0).TotalMilliseconds).ToArray();
        Assert.All(first, d => Assert.InRange(d, 800, 1200));
        Assert.True(first.Distinct().Count() > 100, "jitter should spread the delays");
        Assert.All(Enumerable.Range(0, 50).Select(_ => backoff.DelayFor(5)), d => Assert.True(d <= options.MaxDelay));
    }

    [Fact]
    public void Options_validation_names_the_field()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Contains("MaxDelay", ex.Message);
        var client = Assert.Throws<ArgumentException>(() => new MqttClientOptions { ClientId = "" }.Validate());
        Assert.Contains("ClientId", client.Message);
        var pw = Assert.Throws<ArgumentException>(() => new MqttClientOptions { ClientId = "c", Password = "x" }.Validate());
        Assert.Contains("UserName", pw.Message);
    }
}
