using System.Runtime.CompilerServices;

// MqttConnection (stream framing) is internal; its tests feed it byte streams directly.
[assembly: InternalsVisibleTo("DePin.Wireless.NetworkServer.Tests")]
