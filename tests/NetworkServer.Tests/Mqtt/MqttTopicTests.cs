using DePin.Wireless.NetworkServer.Mqtt;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

public class MqttTopicTests
{
    [Theory]
    // Examples of MQTT 3.1.1 section 4.7.1.
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/ranking", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b/c", "a/b", false)]
    [InlineData("a/b", "a/B", false)]
    // Section 4.7.2: wildcards at the start never match $-topics.
    [InlineData("#", "$SYS/broker", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("application/+/device/+/command/down", "application/7/device/0102030405060708/command/down", true)]
    [InlineData("application/+/device/+/command/down", "application/7/device/0102030405060708/event/up", false)]
    public void Filter_matching_follows_the_spec(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, MqttTopic.Matches(filter, topic));
    }

    [Theory]
    [InlineData("sport/tennis#", "'#' must occupy")]
    [InlineData("sport/#/ranking", "'#' must occupy")]
    [InlineData("sport+", "'+' must occupy")]
    [InlineData("", "empty")]
    [InlineData("a\0b", "null character")]
    public void Invalid_filters_are_explained(string filter, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => MqttTopic.ValidateFilter(filter));
        Assert.Contains(expected, ex.Message);
        Assert.Equal("filter", ex.ParamName);
    }

    [Theory]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("")]
    public void Topic_names_reject_wildcards_and_empty(string topic)
    {
        Assert.Throws<ArgumentException>(() => MqttTopic.ValidateName(topic));
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("+/+/#")]
    [InlineData("/")]
    public void Valid_filters_pass(string filter)
    {
        Assert.Null(MqttTopic.ValidateFilterError(filter));
    }

    [Fact]
    public void Topic_longer_than_65535_bytes_is_refused()
    {
        Assert.Contains("65535", MqttTopic.ValidateNameError(new string('a', 65_536)));
    }
}
