using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>
/// Durable state of the network server. Every counter operation is atomic so that parallel copies of one frame, or
/// two server instances, can never both accept the same frame counter or DevNonce.
/// </summary>
public interface INetworkStore
{
    Task AddApplicationAsync(Application application, CancellationToken cancellationToken);

    Task<Application?> GetApplicationAsync(AppId id, CancellationToken cancellationToken);

    /// <summary>Adds an organisation; throws <see cref="NetworkStoreException"/> when the OUI exists or its DevAddr range overlaps another's.</summary>
    Task AddOrganizationAsync(Organization organization, CancellationToken cancellationToken);

    Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken cancellationToken);

    /// <summary>Adds a device; the application must exist and the DevEUI must be new.</summary>
    Task AddDeviceAsync(Device device, CancellationToken cancellationToken);

    Task<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken);

    Task<IReadOnlyList<Device>> ListDevicesAsync(AppId? application, CancellationToken cancellationToken);

    /// <summary>Removes the device with its session, DevNonces and queue; false when it did not exist.</summary>
    Task<bool> RemoveDeviceAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the device's session (join accept, ABP provisioning).</summary>
    Task SaveSessionAsync(DeviceSession session, CancellationToken cancellationToken);

    Task<DeviceSession?> GetSessionAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Sessions whose DevAddr matches (several devices may share a DevAddr; the MIC decides).</summary>
    Task<IReadOnlyList<DeviceSession>> GetSessionsByDevAddrAsync(DevAddr devAddr, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="fCntUp"/> only if it is above the stored counter (or none is stored); false otherwise. Atomic.</summary>
    Task<bool> TryAdvanceFCntUpAsync(Eui64 devEui, uint fCntUp, CancellationToken cancellationToken) =>
        TryAdvanceFCntUpAsync(devEui, fCntUp, null, cancellationToken);

    /// <summary>
    /// As <see cref="TryAdvanceFCntUpAsync(Eui64, uint, CancellationToken)"/>, and records the uplink's DR index
    /// (when given) in the same atomic step.
    /// </summary>
    Task<bool> TryAdvanceFCntUpAsync(Eui64 devEui, uint fCntUp, int? uplinkDataRate, CancellationToken cancellationToken);

    /// <summary>Stores the session's ADR state (TX power, NbTrans, history, pending LinkADRReq); a no-op without a session.</summary>
    Task SaveAdrStateAsync(Eui64 devEui, AdrSessionState state, CancellationToken cancellationToken);

    /// <summary>Records the confirmed downlink the device must acknowledge (replacing any earlier one).</summary>
    Task SetPendingAckAsync(Eui64 devEui, PendingAck pending, CancellationToken cancellationToken);

    /// <summary>Removes and returns the device's pending acknowledgement, or null; atomic, so only one uplink reports it.</summary>
    Task<PendingAck?> TakePendingAckAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Removes and returns every pending acknowledgement sent before <paramref name="sentBefore"/>. Atomic per device.</summary>
    Task<IReadOnlyList<ExpiredAck>> TakeExpiredPendingAcksAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken);

    /// <summary>Allocates the next downlink frame counter (returns the value to use and stores value + 1). Atomic.</summary>
    Task<uint> AllocateFCntDownAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Records a DevNonce of a join request; false when this device already used it. Atomic.</summary>
    Task<bool> TryRecordDevNonceAsync(Eui64 devEui, ushort devNonce, CancellationToken cancellationToken);

    /// <summary>Allocates the next JoinNonce for the device (24 bits, starts at 0). Atomic.</summary>
    Task<uint> AllocateJoinNonceAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Allocates a DevAddr inside the organisation's range, round robin; atomic across callers.</summary>
    Task<DevAddr> AllocateDevAddrAsync(uint oui, CancellationToken cancellationToken);

    Task EnqueueDownlinkAsync(QueuedDownlink downlink, CancellationToken cancellationToken);

    /// <summary>Removes and returns the oldest queued downlink of the device, or null.</summary>
    Task<QueuedDownlink?> DequeueDownlinkAsync(Eui64 devEui, CancellationToken cancellationToken);
}
