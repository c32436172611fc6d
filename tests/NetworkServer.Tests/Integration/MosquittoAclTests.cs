using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Mqtt;
using DePin.Wireless.NetworkServer.Tests.Mqtt;
using DePin.Wireless.TestSupport;
using static DePin.Wireless.NetworkServer.Tests.Mqtt.MqttBrokerHarness;

namespace DePin.Wireless.NetworkServer.Tests.Integration;

public class MosquittoAclGeneratorTests
{
    private static readonly AppId App1 = AppId.Parse("1");

    [Fact]
    public void Generates_one_block_per_application_and_a_network_server_block()
    {
        var text = new MosquittoAclGenerator(new MosquittoAclOptions()).Generate([App1, AppId.Parse("b2a7c9e0-0000-4000-8000-000000000001")]);
        var lines = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Equal(
            [
                "user network-server", "topic readwrite application/#",
                "user app-1", "topic read application/1/#", "topic write application/1/device/+/command/down",
                "user app-b2a7c9e0-0000-4000-8000-000000000001", "topic read application/b2a7c9e0-0000-4000-8000-000000000001/#",
                "topic write application/b2a7c9e0-0000-4000-8000-000000000001/device/+/command/down",
            ],
            lines);
    }

    [Fact]
    public void Duplicate_application_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MosquittoAclGenerator(new MosquittoAclOptions()).Generate([App1, App1]));
        Assert.Contains("'1' appears twice", ex.Message);
    }

    [Fact]
    public void User_names_with_spaces_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MosquittoAclGenerator(new MosquittoAclOptions { NetworkServerUserName = "net server" }).Generate([App1]));
        Assert.Contains("NetworkServerUserName", ex.Message);
    }

    [Theory]
    [InlineData("a/b", "'/'")]
    [InlineData("+", "'+'")]
    [InlineData("#", "'#'")]
    [InlineData("", "empty")]
    [InlineData("a b", "' '")]
    public void Application_ids_that_could_escape_their_topic_are_refused(string id, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => AppId.Parse(id));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("applicationId", ex.Message);
    }
}

/// <summary>The generated ACL loaded into a real mosquitto 2.0: applications are isolated from each other.</summary>
public class MosquittoAclBrokerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(800);
    private static readonly MosquittoUser Ns = new("network-server", "ns-pw", []);
    private static readonly MosquittoUser A1 = new("app-1", "pw-1", []);
    private static readonly MosquittoUser A2 = new("app-2", "pw-2", []);

    private static Task<MqttBrokerHarness> StartWithGeneratedAclAsync()
    {
        var acl = new MosquittoAclGenerator(new MosquittoAclOptions()).Generate([AppId.Parse("1"), AppId.Parse("2")]);
        return StartAsync(acl, [Ns, A1, A2]);
    }

    [Fact]
    public async Task Application_reads_its_own_events_but_never_another_applications()
    {
        await using var broker = await StartWithGeneratedAclAsync();
        var ns = await broker.ConnectAsync(Ns);
        var app1 = await broker.ConnectAsync(A1);
        var app2 = await broker.ConnectAsync(A2);
        await app2.SubscribeAsync("application/2/#", MqttQos.AtLeastOnce, Timeout());

        // mosquitto 2.0.11 grants a 3.1.1 subscription to a filter the user cannot read (SUBACK QoS, not 0x80):
        // the ACL is enforced per message on delivery instead, so the subscription simply never receives anything.
        var granted = await app1.SubscribeAsync("application/2/#", MqttQos.AtLeastOnce, Timeout());
        Assert.Equal(MqttQos.AtLeastOnce, granted);
        var wide = await app1.SubscribeAsync("application/#", MqttQos.AtLeastOnce, Timeout());
        Assert.Equal(MqttQos.AtLeastOnce, wide);

        await ns.PublishAsync("application/2/device/0000000000000002/event/up", "secret"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.Equal("application/2/device/0000000000000002/event/up", (await NextAsync(app2.Messages, Wait))?.Topic);
        Assert.Null(await NextAsync(app1.Messages, Quiet));

        // Positive control: app-1's own events do arrive through the very same wide subscription.
        await ns.PublishAsync("application/1/device/0000000000000001/event/up", "mine"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.Equal("application/1/device/0000000000000001/event/up", (await NextAsync(app1.Messages, Wait))?.Topic);
    }

    [Fact]
    public async Task Application_can_only_write_its_own_downlink_commands()
    {
        await using var broker = await StartWithGeneratedAclAsync();
        var ns = await broker.ConnectAsync(Ns);
        await ns.SubscribeAsync("application/#", MqttQos.AtLeastOnce, Timeout());
        var app1 = await broker.ConnectAsync(A1);

        // Denied publishes are acknowledged (PUBACK) and silently dropped by mosquitto for MQTT 3.1.1.
        await app1.PublishAsync("application/2/device/0000000000000002/command/down", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        await app1.PublishAsync("application/1/device/0000000000000001/event/up", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        await app1.PublishAsync("application/1/device/0000000000000001/command/down", "{}"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());

        // Only the permitted command arrives, and nothing else follows it.
        Assert.Equal("application/1/device/0000000000000001/command/down", (await NextAsync(ns.Messages, Wait))?.Topic);
        Assert.Null(await NextAsync(ns.Messages, Quiet));
        Assert.Equal(MqttConnectionState.Connected, app1.State);
    }
}
