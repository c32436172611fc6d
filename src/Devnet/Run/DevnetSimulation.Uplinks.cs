using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.Run.Traffic;
using DePin.Wireless.Devnet.World;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.Proto;

namespace DePin.Wireless.Devnet.Run;

/// <summary>A copy of a device frame a hotspot forwarded: who heard it, when, and its radio counter then.</summary>
public sealed record ForwardedCopy(long Sequence, int Hotspot, int Device, SimTime HeardAt, uint Tmst);

/// <summary>A downlink a hotspot will transmit in one receive window (RX2 kept as the fallback of RX1).</summary>
internal sealed record PlannedDownlink(int Device, byte[] Payload, TxWindow Window, TxWindow? Fallback, SimTime? FallbackAt);

/// <summary>
/// LoRaWAN traffic through the real services: devices join by OTAA and send (some confirmed) uplinks through the
/// medium; every copy a hotspot demodulates becomes a PacketReport built and signed as HotspotHost's forwarder does
/// and goes into the NetworkServer's UplinkPipeline (verify → route → charge DC → dedup → session → MAC/ADR →
/// deliver); the downlink the server plans goes back on the air from the chosen hotspot in RX1 (RX2 as fallback),
/// and the device gets it only if it demodulates it.
/// </summary>
public sealed partial class DevnetSimulation
{
    private readonly List<(int Hotspot, Reception Reception)> _heardCopies = [];
    private readonly List<ServerAnswer<ForwardedCopy>> _answers = [];
    private readonly Dictionary<int, int> _deviceByRadio = [];
    private readonly List<OrganisationAccount> _accounts = [];
    private Google.Protobuf.ByteString[] _signerKeys = [];
    private DevnetNetworkServer<ForwardedCopy> _server = null!;
    private SeededRandomSource _forwardNonces = null!;
    private ReportSessions? _packetSessions;
    private ulong _backhaulKey;
    private long _forwardSequence;
    private long _uplinkEnvelopeTicks;
    private readonly List<Task> _signingBatches = [];
    private long _joinRequestsSent;
    private long _confirmedSent;
    private long _downlinksPlanned;
    private long _downlinksTransmitted;
    private long _downlinksInRx2;
    private long _downlinksTooLate;
    private long _downlinksNotTransmitted;
    private long _downlinksReceived;

    /// <summary>The run's network server, with its DC ledger and application event sink.</summary>
    public DevnetNetworkServer<ForwardedCopy> Server => _server;

    /// <summary>The devices of the run.</summary>
    public IReadOnlyList<SimDevice> Devices => _devices;

    private void AddDevices(SimulatedWorld world)
    {
        var traffic = _options.Traffic;
        _server = new DevnetNetworkServer<ForwardedCopy>(_clock.Epoch, _options.Seed, traffic);
        _forwardNonces = SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{_options.Seed}/packet-report-nonces"));
        _packetSessions = _options.ReportAuthentication == ReportAuthentication.Session
            ? new ReportSessions(_options.Seed, SessionProtocol.NetworkServer, _options.Hotspots)
            : null;

        _backhaulKey = SeedMixer.Combine((ulong)(uint)_options.Seed, SeedMixer.Key("backhaul-latency"));
        var plans = OrganisationPlan.Plan(traffic, _options.Seed);
        foreach (var plan in plans)
        {
            _accounts.Add(_server.AddOrganisation(plan));
        }

        var confirmedRandom = new Random(SeedMixer.DeriveSeed(_options.Seed, "confirmed-devices", 0));
        for (var i = 0; i < world.Devices.Count; i++)
        {
            var radio = _medium.Register(world.Devices[i].ToRegistration());
            var organisation = plans[i % plans.Count];
            var devEui = new Eui64(OrganisationPlan.DevEuiBase + (ulong)i);
            var joinEui = organisation.JoinEuiFor(i);
            var keyBytes = new byte[16];
            SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{_options.Seed}/device/{i}/appkey")).Fill(keyBytes);
            var appKey = AesKey.FromBytes(keyBytes);
            _server.AddDevice(organisation, devEui, joinEui, appKey, _options.Region, world.Devices[i].Name);
            var device = new SimDevice(i, radio, _options.Seed, _plan, devEui, joinEui, appKey, organisation.Index, confirmedRandom.NextDouble() < traffic.ConfirmedFraction);
            _devices.Add(device);
            _deviceByRadio[radio.Value] = i;

            // First frame (its JoinRequest) somewhere in the first interval, so devices do not start together.
            Enqueue(SimTime.Zero + device.NextPeriod(_options.UplinkInterval) * 0.5, new SimEvent(SimEventKind.Uplink, i));
        }

        FundOrganisations(plans);
    }

    /// <summary>
    /// Each payer burns tokens before the run. Well-funded organisations buy far more than they can spend; an
    /// under-funded one only the minimum balance plus <see cref="TrafficOptions.UnderFundedMargin"/> of a run's
    /// single-copy spend, so it is disabled during the run, and burns again at <see cref="TrafficOptions.TopUpAt"/>.
    /// </summary>
    private void FundOrganisations(IReadOnlyList<OrganisationPlan> plans)
    {
        var minimum = new DataCredits.Ledger.LedgerOptions().MinimumBalanceDc;
        var uplinksPerDevice = TimeSpan.FromHours(_options.Hours) / _options.UplinkInterval;
        var dcPerUplink = DataCredits.Charging.DcPricing.PacketCost(13 + SimDevice.SensorPayloadBytes);
        foreach (var plan in plans)
        {
            var singleCopySpend = (long)Math.Ceiling(_accounts[plan.Index].Devices * uplinksPerDevice * dcPerUplink) + 1;
            var initial = plan.UnderFunded ? minimum + (long)Math.Ceiling(singleCopySpend * _options.Traffic.UnderFundedMargin) : minimum + (20 * singleCopySpend);
            _server.Burn(plan, _server.TokensFor(initial), _clock.Epoch);
            if (plan.UnderFunded)
            {
                Enqueue(SimTime.Zero + (TimeSpan.FromHours(_options.Hours) * _options.Traffic.TopUpAt), new SimEvent(SimEventKind.TopUp, plan.Index));
            }
        }
    }

    private void TopUp(int organisation, SimTime at)
    {
        var uplinksPerDevice = TimeSpan.FromHours(_options.Hours) / _options.UplinkInterval;
        var dc = (long)Math.Ceiling(_accounts[organisation].Devices * uplinksPerDevice * 20) + new DataCredits.Ledger.LedgerOptions().MinimumBalanceDc;
        _server.Burn(_accounts[organisation].Plan, _server.TokensFor(dc), ToUtc(at));
    }

    private void SendUplink(SimDevice device, SimTime at)
    {
        var frequency = device.PickChannel();
        var airtime = TimeOnAir.Compute(device.DataRate, device.NextFrameLength);
        var allowed = _medium.NextAllowed(device.Radio, frequency, airtime, at);
        if (allowed > at)
        {
            // The duty cycle holds the device back: it sends as soon as it may.
            Enqueue(allowed, new SimEvent(SimEventKind.Uplink, device.Index));
            return;
        }

        var joining = !device.IsJoined;
        var result = _medium.Submit(new TransmitRequest
        {
            Sender = device.Radio, Start = at, Frequency = frequency, DataRate = device.DataRate, TxPower = device.Eirp, Payload = device.NextFrame(),
        });
        if (result.Transmission is { } tx)
        {
            if (joining)
            {
                _joinRequestsSent++;
            }
            else
            {
                _uplinksSent++;
                _confirmedSent += device.Confirmed ? 1 : 0;
            }

            // Hotspots forward what they heard as soon as the frame has ended, so RX1 can still be met.
            Enqueue(tx.End, new SimEvent(SimEventKind.Resolve, device.Index));
        }

        Enqueue(at + device.NextPeriod(_options.UplinkInterval), new SimEvent(SimEventKind.Uplink, device.Index));
    }

    /// <summary>A device demodulated a frame while tuned to a receive window.</summary>
    private void DeviceHeard(Reception reception)
    {
        if (_deviceByRadio.TryGetValue(reception.Receiver.Value, out var index) && _devices[index].Receive(reception.Payload.Span) != DeviceDownlinkResult.Ignored)
        {
            _downlinksReceived++;
        }
    }

    /// <summary>
    /// Turns the copies heard in this batch into PacketReports built as HotspotHost's forwarder builds them
    /// (<see cref="ReportFields"/>), each reaching the server one backhaul latency after the hotspot heard it.
    /// Reports that can still be bought are authenticated and checked by the pipeline's stage 1: sealed into the
    /// hotspot's session with the network server (<see cref="ReportSessions"/>, default) or, with
    /// <c>--report-auth envelope</c>, signed with the hotspot's key (Core's <see cref="EnvelopeSigner"/>, each report's
    /// nonce stream derived from its sequence number, on the thread pool). Sessions seal in the order the copies were
    /// heard and results are stored by index, so nothing depends on scheduling. A copy
    /// whose rank among its frame's copies (by arrival) is at or above its organisation's max_copies is refused by the
    /// dedup stage whatever its signature, so unless <see cref="TrafficOptions.SignEveryCopy"/> is set it skips
    /// authentication and enters the pipeline as the authentic copy it is (a test checks both modes give identical
    /// results).
    /// </summary>
    private void ForwardHeardCopies()
    {
        var count = _heardCopies.Count;
        if (count == 0)
        {
            return;
        }

        var tags = new ForwardedCopy[count];
        var reports = new PacketReport[count];
        var arrivals = new SimTime[count];
        var latest = SimTime.Zero;
        for (var i = 0; i < count; i++)
        {
            var (hotspotIndex, reception) = _heardCopies[i];
            var sequence = _forwardSequence++;
            tags[i] = new ForwardedCopy(sequence, hotspotIndex, _deviceByRadio[reception.Transmission.Sender.Value], reception.ArrivalEnd, reception.CounterTimestampMicroseconds);
            reports[i] = ReportFields.PacketReport(ToRxFrame(reception), _signerKeys[hotspotIndex], _options.Region, ToUtc(reception.ArrivalEnd));
            arrivals[i] = tags[i].HeardAt + BackhaulLatency(sequence, 0);
            latest = SimTime.Max(latest, arrivals[i]);
        }

        var signed = CopiesToSign(arrivals);
        var isSigned = new bool[count];
        signed.ForEach(i => isSigned[i] = true);
        var verified = new StageResult<UplinkCopy>[count];
        void AuthenticateSigned() => signed.ForEach(i => verified[i] = Authenticate(tags[i], reports[i], arrivals[i]));

        // A session seal and check is an HMAC and a parse each (a few µs): done here, in the order heard, so each
        // session's counters are reproducible — handing a handful of copies to another thread per uplink cost more
        // in wake-ups than the work (measured). Envelope signatures (≈ 0.2 ms per copy) run on the thread pool while
        // the simulation goes on; the server waits for a batch only when its first copy's dedup window closes, and
        // results are stored by index (each nonce stream derives from the copy's sequence number).
        Task batch;
        if (signed.Count == 0 || _packetSessions is not null || _options.MaxParallelism == 1)
        {
            AuthenticateSigned();
            batch = Task.CompletedTask;
        }
        else
        {
            batch = Task.Run(AuthenticateSigned);
            _signingBatches.Add(batch);
        }

        _envelopes += signed.Count;
        _timings.Count(PacketReportPhase, signed.Count);
        for (var i = 0; i < count; i++)
        {
            var copy = isSigned[i]
                ? batch.IsCompleted ? new Lazy<StageResult<UplinkCopy>>(verified[i]) : Awaiting(batch, verified, i)
                : new Lazy<StageResult<UplinkCopy>>(StageResult.Pass(new UplinkCopy(_hotspots[tags[i].Hotspot].Key.PublicKey, reports[i])));
            _server.Enqueue(ToUtc(arrivals[i]), copy, tags[i]);
        }

        // One wake-up once every copy of the batch has arrived and the last dedup window has closed: downlink
        // decisions are timed by the window's close, not by when the simulation looks.
        Enqueue(latest + new DedupOptions().Window, new SimEvent(SimEventKind.ServerWake, 0));
        _heardCopies.Clear();
    }

    private static Lazy<StageResult<UplinkCopy>> Awaiting(Task batch, StageResult<UplinkCopy>[] verified, int index) => new(() =>
    {
        batch.GetAwaiter().GetResult();
        return verified[index];
    });

    /// <summary>
    /// Session v1: the report sealed into the hotspot's session with the network server and the service's check of the
    /// frame; with <c>--report-auth envelope</c>, signed with the hotspot key (nonce stream from the copy's sequence
    /// number) and the pipeline's stage-1 check.
    /// </summary>
    private StageResult<UplinkCopy> Authenticate(ForwardedCopy tag, PacketReport report, SimTime arrival)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        StageResult<UplinkCopy> result;
        if (_packetSessions is { } sessions)
        {
            var frame = sessions.Seal(_hotspots[tag.Hotspot], report, ToUtc(tag.HeardAt));
            result = PacketReportVerifier.Check(sessions.Verify<PacketReport>(frame, ToUtc(arrival)), viaSession: true);
        }
        else
        {
            var nonces = _forwardNonces.Derive(tag.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var signer = new EnvelopeSigner(_hotspots[tag.Hotspot].Key, new FixedTimeProvider(ToUtc(tag.HeardAt)), nonces);
            result = _server.Pipeline.Verify(signer.SignToBytes(report));
        }

        Interlocked.Add(ref _uplinkEnvelopeTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        return result;
    }

    /// <summary>Indices of the copies to sign: per frame (transmission), the first max_copies by arrival, or all of them.</summary>
    private List<int> CopiesToSign(SimTime[] arrivals)
    {
        var signed = new List<int>(arrivals.Length);
        if (_options.Traffic.SignEveryCopy)
        {
            signed.AddRange(Enumerable.Range(0, arrivals.Length));
            return signed;
        }

        // Copies of one transmission are consecutive in the batch (the medium resolves a packet for all receivers at once).
        var start = 0;
        while (start < arrivals.Length)
        {
            var transmission = _heardCopies[start].Reception.Transmission.Id;
            var end = start;
            while (end < arrivals.Length && _heardCopies[end].Reception.Transmission.Id == transmission)
            {
                end++;
            }

            var maxCopies = _accounts[_devices[_deviceByRadio[_heardCopies[start].Reception.Transmission.Sender.Value]].Organisation].Plan.MaxCopies;
            var order = Enumerable.Range(start, end - start).OrderBy(i => arrivals[i]).ThenBy(i => i).Take(maxCopies);
            signed.AddRange(order.Order());
            start = end;
        }

        return signed;
    }

    private static RxFrame ToRxFrame(Reception reception) => new(
        reception.Payload.ToArray(),
        reception.Frequency.Value,
        new LoRaModulation(reception.DataRate.SpreadingFactor, reception.DataRate.BandwidthHz),
        FirmwareBridge.Radio.LoRaCodingRate.Cr4_5,
        reception.Rssi.Value,
        reception.SnrDb,
        reception.CounterTimestampMicroseconds,
        RxCrcStatus.Ok,
        reception.FineTimestampNanoseconds is { } fine ? fine % 1_000_000_000 : null);

    private TimeSpan BackhaulLatency(long sequence, ulong direction)
    {
        _latencyRandom.Reset(SeedMixer.Combine(_backhaulKey, (ulong)sequence, direction));
        var (min, max) = _options.Traffic.BackhaulLatency;
        return min + ((max - min) * _latencyRandom.NextDouble());
    }

    /// <summary>The phase that makes packet reports; its count is the packet reports signed (and verified).</summary>
    internal const string PacketReportPhase = "receptions (recognise, witness, uplink)";

    /// <summary>Waits for envelope signing still running in the background (copies that arrived after the end) before keys are disposed.</summary>
    private void FinishSigning()
    {
        Task.WaitAll(_signingBatches);
        _signingBatches.Clear();
    }

    /// <summary>Thread time spent signing and verifying packet reports (summed over threads).</summary>
    private TimeSpan UplinkEnvelopeTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _uplinkEnvelopeTicks));

    /// <summary>Lets the network server catch up to <paramref name="now"/> and acts on the answers it gave.</summary>
    private void PumpServer(SimTime now)
    {
        _server.AdvanceTo(ToUtc(now), _answers);
        foreach (var answer in _answers)
        {
            if (answer.Response.Downlink is { } command)
            {
                PlanDownlink(answer.Tag, command, SimTime.FromTimeSpan(answer.DecidedAt - _clock.Epoch));
            }
        }

        _answers.Clear();
    }

    /// <summary>
    /// The chosen hotspot gets the server's answer one backhaul latency after the decision and schedules the
    /// downlink at RX1 (the window's tmst on its own counter); if RX1 has already passed it uses RX2, as
    /// HotspotHost's DownlinkTransmitter does on TOO_LATE.
    /// </summary>
    private void PlanDownlink(ForwardedCopy copy, DownlinkCommand command, SimTime decidedAt)
    {
        _downlinksPlanned++;
        var answerAt = SimTime.Max(decidedAt + BackhaulLatency(copy.Sequence, 1), _medium.ResolvedUntil);
        var payload = command.Payload.ToByteArray();
        SimTime? At(TxWindow? window) => window is null ? null : copy.HeardAt + TimeSpan.FromTicks(unchecked(window.Tmst - copy.Tmst) * 10L);
        var rx1 = At(command.Rx1);
        var rx2 = At(command.Rx2);
        if (rx1 is { } rx1At && rx1At >= answerAt)
        {
            Enqueue(rx1At, new SimEvent(SimEventKind.Downlink, copy.Hotspot, Data: new PlannedDownlink(copy.Device, payload, command.Rx1!, command.Rx2, rx2)));
        }
        else if (rx2 is { } rx2At && rx2At >= answerAt)
        {
            Enqueue(rx2At, new SimEvent(SimEventKind.Downlink, copy.Hotspot, Data: new PlannedDownlink(copy.Device, payload, command.Rx2!, null, null)));
        }
        else
        {
            _downlinksTooLate++;
        }
    }

    /// <summary>The hotspot transmits in the planned window; the device listens on that channel and data rate meanwhile.</summary>
    private void TransmitDownlink(SimHotspot hotspot, SimTime at, PlannedDownlink downlink)
    {
        var device = _devices[downlink.Device];
        if (at < _medium.ResolvedUntil)
        {
            _downlinksTooLate++;
            return;
        }

        var request = DownlinkTransmitter.ToRequest(downlink.Payload, downlink.Window);
        var dataRate = new DataRate(request.Modulation.SpreadingFactor, request.Modulation.BandwidthHz / 1000);
        var frequency = new Hz(request.FrequencyHz);
        var result = _medium.Submit(new TransmitRequest
        {
            Sender = hotspot.RadioId, Start = at, Frequency = frequency, DataRate = dataRate,
            TxPower = new Dbm(request.PowerDbm - hotspot.Radio.AntennaGainDbi), Payload = request.Payload, Shape = LoRaPacketShape.LoRaWanDownlink,
        });
        if (result.Transmission is { } tx)
        {
            _downlinksTransmitted++;
            _downlinksInRx2 += IsRx2(downlink) ? 1 : 0;
            _medium.Tune(device.Radio, frequency, dataRate);
            Enqueue(tx.End, new SimEvent(SimEventKind.ReceiveWindowEnd, downlink.Device));
            return;
        }

        if (downlink.Fallback is { } window2 && downlink.FallbackAt is { } rx2At)
        {
            // RX1 refused (duty cycle or the radio busy): the device still opens RX2 one second later.
            Enqueue(rx2At, new SimEvent(SimEventKind.Downlink, hotspot.Index, Data: new PlannedDownlink(downlink.Device, downlink.Payload, window2, null, null)));
            return;
        }

        _downlinksNotTransmitted++;
    }

    private bool IsRx2(PlannedDownlink downlink) => downlink.Window.FrequencyHz == (ulong)_plan.Rx2Frequency.Value;

    /// <summary>The downlink has ended: what the device demodulated is handed to it, then its receiver is off.</summary>
    private void CloseReceiveWindow(SimDevice device, SimTime at)
    {
        HandleReceptions(_medium.ResolveUntil(SimTime.Max(at, _medium.ResolvedUntil)));
        _medium.Untune(device.Radio);
    }

    private TrafficOutcome BuildTrafficOutcome()
    {
        _server.Settle();
        return new TrafficOutcome
        {
            JoinRequestsSent = _joinRequestsSent,
            JoinsAccepted = _server.Events.Joins,
            DevicesJoined = _devices.Count(d => d.IsJoined),
            ConfirmedSent = _confirmedSent,
            AcksReceived = _devices.Sum(d => d.AcksReceived),
            AdrChanges = _devices.Sum(d => d.AdrChanges),
            DownlinksPlanned = _downlinksPlanned,
            DownlinksTransmitted = _downlinksTransmitted,
            DownlinksInRx2 = _downlinksInRx2,
            DownlinksTooLate = _downlinksTooLate,
            DownlinksNotTransmitted = _downlinksNotTransmitted,
            DownlinksReceived = _downlinksReceived,
            BoughtCopies = _server.BoughtCopies,
            FramesAtMaxCopies = _server.FramesAtMaxCopies,
            FramesOverMaxCopies = _server.FramesOverMaxCopies,
            Organisations = _accounts.Select(a => new OrganisationLine(
                a.Plan.Oui, a.Plan.Payer.ToString(), a.Devices, a.Plan.MaxCopies, a.Plan.UnderFunded, a.Burns, a.CreditedDc, a.ChargedDc, a.BoughtCopies,
                a.DroppedNoBalance, a.BalanceDc, a.Enabled, Offset(a.DisabledAt), Offset(a.ReenabledAt),
                _server.Events.UplinksByApplication.GetValueOrDefault(a.Plan.Application.ToString()), a.DeliveredAfterReenable)).ToList(),
        };
    }

    private double? Offset(DateTimeOffset? at) => at is { } t ? Math.Round((t - _clock.Epoch).TotalHours, 4) : null;
}
