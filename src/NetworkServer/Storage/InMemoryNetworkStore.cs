using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>
/// The in-process store used by the devnet and benchmarks. One lock guards everything, which makes every operation
/// trivially atomic; the hot path (FCnt advance) is a dictionary update under it.
/// </summary>
public sealed class InMemoryNetworkStore : INetworkStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<AppId, Application> _applications = [];
    private readonly Dictionary<uint, Organization> _organizations = [];
    private readonly Dictionary<uint, ulong> _nextDevAddrOffset = [];
    private readonly Dictionary<Eui64, Device> _devices = [];
    private readonly Dictionary<Eui64, DeviceSession> _sessions = [];
    private readonly Dictionary<DevAddr, List<Eui64>> _byDevAddr = [];
    private readonly Dictionary<Eui64, HashSet<ushort>> _devNonces = [];
    private readonly Dictionary<Eui64, uint> _joinNonces = [];
    private readonly Dictionary<Eui64, Queue<QueuedDownlink>> _queues = [];

    public Task AddApplicationAsync(Application application, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_applications.TryAdd(application.Id, application))
            {
                throw new NetworkStoreException("id", $"application {application.Id} already exists");
            }
        }

        return Task.CompletedTask;
    }

    public Task<Application?> GetApplicationAsync(AppId id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_applications.GetValueOrDefault(id));
        }
    }

    public Task AddOrganizationAsync(Organization organization, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            StoreRules.CheckNewOrganization(organization, _organizations.Values);
            _organizations.Add(organization.Oui, organization);
            _nextDevAddrOffset[organization.Oui] = 0;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Organization>>(_organizations.Values.OrderBy(o => o.Oui).ToArray());
        }
    }

    public Task AddDeviceAsync(Device device, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_applications.ContainsKey(device.ApplicationId))
            {
                throw new NetworkStoreException("app", $"application {device.ApplicationId} does not exist");
            }

            if (!_devices.TryAdd(device.DevEui, device))
            {
                throw new NetworkStoreException("dev-eui", $"device {device.DevEui} already exists");
            }
        }

        return Task.CompletedTask;
    }

    public Task<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_devices.GetValueOrDefault(devEui));
        }
    }

    public Task<IReadOnlyList<Device>> ListDevicesAsync(AppId? application, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Device>>(_devices.Values
                .Where(d => application is null || d.ApplicationId == application.Value)
                .OrderBy(d => d.DevEui.Value).ToArray());
        }
    }

    public Task<bool> RemoveDeviceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_devices.Remove(devEui))
            {
                return Task.FromResult(false);
            }

            if (_sessions.Remove(devEui, out var session))
            {
                _byDevAddr[session.DevAddr].Remove(devEui);
            }

            _devNonces.Remove(devEui);
            _joinNonces.Remove(devEui);
            _queues.Remove(devEui);
            return Task.FromResult(true);
        }
    }

    public Task SaveSessionAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_devices.ContainsKey(session.DevEui))
            {
                throw new NetworkStoreException("devEui", $"device {session.DevEui} does not exist");
            }

            if (_sessions.Remove(session.DevEui, out var old))
            {
                _byDevAddr[old.DevAddr].Remove(session.DevEui);
            }

            _sessions[session.DevEui] = session;
            if (!_byDevAddr.TryGetValue(session.DevAddr, out var list))
            {
                _byDevAddr[session.DevAddr] = list = [];
            }

            list.Add(session.DevEui);
        }

        return Task.CompletedTask;
    }

    public Task<DeviceSession?> GetSessionAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_sessions.GetValueOrDefault(devEui));
        }
    }

    public Task<IReadOnlyList<DeviceSession>> GetSessionsByDevAddrAsync(DevAddr devAddr, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_byDevAddr.TryGetValue(devAddr, out var list) || list.Count == 0)
            {
                return Task.FromResult<IReadOnlyList<DeviceSession>>([]);
            }

            var found = new DeviceSession[list.Count];
            for (var i = 0; i < found.Length; i++)
            {
                found[i] = _sessions[list[i]];
            }

            return Task.FromResult<IReadOnlyList<DeviceSession>>(found);
        }
    }

    public Task<bool> TryAdvanceFCntUpAsync(Eui64 devEui, uint fCntUp, int? uplinkDataRate, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(devEui, out var session) || (session.FCntUp is { } last && last >= fCntUp))
            {
                return Task.FromResult(false);
            }

            _sessions[devEui] = session with { FCntUp = fCntUp, LastUplinkDataRate = uplinkDataRate ?? session.LastUplinkDataRate };
            return Task.FromResult(true);
        }
    }

    public Task SaveAdrStateAsync(Eui64 devEui, AdrSessionState state, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(devEui, out var session))
            {
                _sessions[devEui] = session with { TxPowerIndex = state.TxPowerIndex, NbTrans = state.NbTrans, AdrHistory = [.. state.History], PendingAdr = state.Pending };
            }
        }

        return Task.CompletedTask;
    }

    public Task SetPendingAckAsync(Eui64 devEui, PendingAck pending, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var session = _sessions.GetValueOrDefault(devEui) ?? throw new NetworkStoreException("devEui", $"device {devEui} has no session");
            _sessions[devEui] = session with { PendingAck = pending };
        }

        return Task.CompletedTask;
    }

    public Task<PendingAck?> TakePendingAckAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(devEui, out var session) || session.PendingAck is not { } pending)
            {
                return Task.FromResult<PendingAck?>(null);
            }

            _sessions[devEui] = session with { PendingAck = null };
            return Task.FromResult<PendingAck?>(pending);
        }
    }

    public Task<IReadOnlyList<ExpiredAck>> TakeExpiredPendingAcksAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expired = _sessions.Values
                .Where(s => s.PendingAck is { } p && p.SentAt < sentBefore)
                .Select(s => new ExpiredAck(s.DevEui, s.PendingAck!))
                .ToArray();
            foreach (var item in expired)
            {
                _sessions[item.DevEui] = _sessions[item.DevEui] with { PendingAck = null };
            }

            return Task.FromResult<IReadOnlyList<ExpiredAck>>(expired);
        }
    }

    public Task<uint> AllocateFCntDownAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var session = _sessions.GetValueOrDefault(devEui) ?? throw new NetworkStoreException("devEui", $"device {devEui} has no session");
            _sessions[devEui] = session with { NextFCntDown = session.NextFCntDown + 1 };
            return Task.FromResult(session.NextFCntDown);
        }
    }

    public Task<bool> TryRecordDevNonceAsync(Eui64 devEui, ushort devNonce, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_devNonces.TryGetValue(devEui, out var used))
            {
                _devNonces[devEui] = used = [];
            }

            return Task.FromResult(used.Add(devNonce));
        }
    }

    public Task<uint> AllocateJoinNonceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var next = _joinNonces.GetValueOrDefault(devEui);
            StoreRules.CheckJoinNonce(next);
            _joinNonces[devEui] = next + 1;
            return Task.FromResult(next);
        }
    }

    public Task<DevAddr> AllocateDevAddrAsync(uint oui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var org = _organizations.GetValueOrDefault(oui) ?? throw new NetworkStoreException("oui", $"organisation {oui} does not exist");
            var offset = _nextDevAddrOffset[oui];
            _nextDevAddrOffset[oui] = offset + 1;
            return Task.FromResult(StoreRules.DevAddrAt(org.DevAddrRange, offset));
        }
    }

    public Task EnqueueDownlinkAsync(QueuedDownlink downlink, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_devices.ContainsKey(downlink.DevEui))
            {
                throw new NetworkStoreException("devEui", $"device {downlink.DevEui} does not exist");
            }

            if (!_queues.TryGetValue(downlink.DevEui, out var queue))
            {
                _queues[downlink.DevEui] = queue = new Queue<QueuedDownlink>();
            }

            queue.Enqueue(downlink);
        }

        return Task.CompletedTask;
    }

    public Task<QueuedDownlink?> DequeueDownlinkAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_queues.TryGetValue(devEui, out var queue) && queue.TryDequeue(out var item) ? item : null);
        }
    }
}

/// <summary>Rules both stores apply identically.</summary>
internal static class StoreRules
{
    /// <summary>JoinNonce is 24 bits on air (LoRaWAN 1.0.4 §6.2.3) and must never repeat for a device.</summary>
    public const uint MaxJoinNonce = 0xFFFFFF;

    public static void CheckNewOrganization(Organization organization, IEnumerable<Organization> existing)
    {
        if (organization.MaxCopies < 1)
        {
            throw new NetworkStoreException("max-copies", "must be at least 1");
        }

        foreach (var other in existing)
        {
            if (other.Oui == organization.Oui)
            {
                throw new NetworkStoreException("oui", $"organisation {organization.Oui} already exists");
            }

            if (other.DevAddrRange.Start <= organization.DevAddrRange.End && organization.DevAddrRange.Start <= other.DevAddrRange.End)
            {
                throw new NetworkStoreException("devaddr-range", $"overlaps organisation {other.Oui}'s range {other.DevAddrRange.Format(8)}");
            }
        }
    }

    public static void CheckJoinNonce(uint next)
    {
        if (next > MaxJoinNonce)
        {
            throw new NetworkStoreException("joinNonce", "all 2^24 JoinNonces of this device are used; re-provision it with a new DevEUI");
        }
    }

    /// <summary>Round robin inside the range: addresses are reused only after the whole range was handed out.</summary>
    public static DevAddr DevAddrAt(InclusiveRange range, ulong offset)
    {
        var size = range.End - range.Start + 1;
        return new DevAddr((uint)(range.Start + (offset % size)));
    }
}
