using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Region plans by name, built once (RegionPlans.Get builds a new plan per call).</summary>
public sealed class RegionPlanCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RegionPlan> _plans = new(StringComparer.OrdinalIgnoreCase);

    public RegionPlan Get(string name) => _plans.GetOrAdd(name, static n => RegionPlans.Get(n));
}

/// <summary>
/// OTAA: JoinRequest → device by DevEUI (JoinEUI must match) → MIC under AppKey → DevNonce never used before by
/// this device → DevAddr from the routing organisation's range → JoinNonce → session keys (1.0.x) → JoinAccept
/// (with the region's CFList) sent in the join-accept windows → join event.
/// </summary>
public sealed class JoinProcessor(INetworkStore store, IEventPublisher events, RegionPlanCache regions, NetworkServerIdentity identity, TimeProvider time, DownlinkPlannerOptions? downlinks = null)
{
    public async Task<FrameOutcome> ProcessAsync(FrameSet frames, Organization organization, CancellationToken cancellationToken)
    {
        var phy = frames.PhyPayload.ToArray();
        var request = JoinRequestFrame.Parse(phy);
        var (devEui, joinEui, devNonce, mic) = (request.DevEui, request.JoinEui, request.DevNonce, request.Mic);
        var device = await store.GetDeviceAsync(devEui, cancellationToken);
        if (device is null || device.IsAbp)
        {
            return FrameOutcome.NotProcessed("unknown_device", $"devEui: {devEui} is not an OTAA device here");
        }

        if (device.JoinEui != joinEui)
        {
            return FrameOutcome.NotProcessed("join_eui_mismatch", $"joinEui: {joinEui} is not the device's {device.JoinEui}");
        }

        using var appKey = new LoRaCipher(device.AppKey);
        if (LoRaWanCrypto.ComputeJoinRequestMic(appKey, phy.AsSpan(0, phy.Length - Mic.Size)) != mic)
        {
            return FrameOutcome.NotProcessed("mic_invalid", "mic: the join request does not verify under the device's AppKey");
        }

        // Recorded only after the MIC passed, so a forged request cannot burn a DevNonce of the device.
        if (!await store.TryRecordDevNonceAsync(devEui, devNonce, cancellationToken))
        {
            return FrameOutcome.NotProcessed("devnonce_replayed", $"devNonce: {devNonce} was already used by {devEui}");
        }

        var plan = regions.Get(device.Region);
        var devAddr = await store.AllocateDevAddrAsync(organization.Oui, cancellationToken);
        var joinNonce = await store.AllocateJoinNonceAsync(devEui, cancellationToken);
        var keys = LoRaWanCrypto.DeriveSessionKeys10(appKey, joinNonce, identity.NetId, devNonce);
        var rx = new RxParameters(identity.RxDelaySeconds, 0, plan.Rx2DataRate);
        await store.SaveSessionAsync(new DeviceSession(devEui, devAddr, keys.NwkSKey, keys.AppSKey)
        {
            Rx1DrOffset = rx.Rx1DrOffset,
            Rx2DataRate = rx.Rx2DataRate,
            RxDelaySeconds = rx.RxDelaySeconds,
        }, cancellationToken);

        var accept = FrameBuilder.BuildJoinAccept(new JoinAcceptFields(joinNonce, identity.NetId, devAddr)
        {
            DlSettings = (byte)((rx.Rx1DrOffset << 4) | rx.Rx2DataRate),
            RxDelay = (byte)rx.RxDelaySeconds,
            CfList = plan.BuildCfList() ?? ReadOnlyMemory<byte>.Empty,
        }, appKey);

        await events.PublishAsync(new JoinEvent
        {
            Time = time.GetUtcNow(),
            DeviceInfo = DeviceInfoOf(device),
            DeduplicationId = DeduplicationId(frames.Key),
            DevAddr = devAddr.ToString(),
        }, cancellationToken);

        var windows = new RxParameters(DownlinkPlanner.JoinAcceptDelaySeconds, 0, plan.Rx2DataRate);
        return FrameOutcome.Processed(DownlinkPlanner.Plan(frames.Copies, plan, windows, accept, DownlinkId(frames.Key), downlinks));
    }

    internal static DeviceInfo DeviceInfoOf(Device device) => new()
    {
        ApplicationId = device.ApplicationId,
        DeviceName = device.Name.Length > 0 ? device.Name : device.DevEui.ToString(),
        DevEui = device.DevEui,
    };

    /// <summary>The dedup id of an event: the first 16 bytes of the packet hash, so all services name the frame alike.</summary>
    internal static Guid DeduplicationId(PacketHash key)
    {
        Span<byte> high = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(high, key.High);
        return new Guid(high, bigEndian: true);
    }

    internal static string DownlinkId(PacketHash key) => key.ToString()[..32];
}

/// <summary>Who this network server is on air.</summary>
public sealed class NetworkServerIdentity
{
    /// <summary>NetID written into join accepts and used for session keys (LoRaWAN 1.0.4 §6.2.3).</summary>
    public NetId NetId { get; set; } = new(0x000000);

    /// <summary>RX1 delay given to devices in join accepts, seconds (1..15; RECEIVE_DELAY1 default 1 s).</summary>
    public int RxDelaySeconds { get; set; } = 1;

    public FrameCounterResetPolicy FrameCounterPolicy { get; set; } = FrameCounterResetPolicy.Strict;
}
