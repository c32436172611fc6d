using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.HotspotHost.Witnessing;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Devnet.Run;

/// <summary>Radio traffic: beacons, device uplinks, relayed beacons, and what hotspots do with what they hear.</summary>
public sealed partial class DevnetSimulation
{
    private void RunEvents(SimTime stepEnd)
    {
        while (_events.TryPeek(out var simEvent, out var priority) && priority.Time < stepEnd.Nanoseconds)
        {
            _events.Dequeue();
            var at = new SimTime(priority.Time);
            PumpServer(at);
            switch (simEvent.Kind)
            {
                case SimEventKind.Beacon:
                    SendBeacon(_hotspots[simEvent.Actor], at);
                    break;
                case SimEventKind.Uplink:
                    SendUplink(_devices[simEvent.Actor], at);
                    break;
                case SimEventKind.Relay:
                    Relay(_hotspots[simEvent.Actor], at, simEvent.Payload!, simEvent.Frequency);
                    break;
                case SimEventKind.Resolve:
                    HandleReceptions(_medium.ResolveUntil(at));
                    break;
                case SimEventKind.ServerWake:
                    break; // PumpServer above has done the work
                case SimEventKind.Downlink:
                    TransmitDownlink(_hotspots[simEvent.Actor], at, (PlannedDownlink)simEvent.Data!);
                    break;
                case SimEventKind.ReceiveWindowEnd:
                    CloseReceiveWindow(_devices[simEvent.Actor], at);
                    break;
                case SimEventKind.TopUp:
                    TopUp(simEvent.Actor, at);
                    break;
            }
        }
    }

    private void SendBeacon(SimHotspot hotspot, SimTime at)
    {
        var now = ToUtc(at);
        var entropy = _oracle.Current!;
        var local = BeaconPayload.NewLocalEntropy(hotspot.Random);
        var beacon = BeaconPayload.Generate(entropy.Data.Span, entropy.TimestampS, local, _beaconRadio);
        var phy = new byte[beacon.Data.Length + 1];
        phy[0] = BeaconRecognizer.ProprietaryMhdr;
        beacon.Data.CopyTo(phy, 1);

        // Conducted power such that the EIRP is the region's maximum (the antenna adds its gain).
        var txPower = _beaconPlan.MaxEirp - hotspot.Radio.AntennaGainDbi;
        var result = _medium.Submit(new TransmitRequest
        {
            Sender = hotspot.RadioId, Start = at, Frequency = beacon.Frequency, DataRate = _beaconPlan.DataRate, TxPower = txPower, Payload = phy,
        });
        if (result.Transmission is { } tx)
        {
            hotspot.Recognizer.RememberOwn(beacon.Data);

            // Hotspots hear a beacon when it ends, not at the end of the simulation step: relayers react at once.
            Enqueue(tx.End, new SimEvent(SimEventKind.Resolve, hotspot.Index));
            _beaconOwner[beacon.Data] = hotspot.Index;
            _beaconsSent++;
            Report(hotspot, new BeaconReport
            {
                HotspotKey = _signerKeys[hotspot.Index],
                LocalEntropy = ByteString.CopyFrom(local),
                RemoteEntropy = entropy.Data,
                RemoteEntropyTimestampS = entropy.TimestampS,
                Data = ByteString.CopyFrom(beacon.Data),
                FrequencyHz = (ulong)beacon.Frequency.Value,
                Channel = beacon.ChannelIndex,
                Datarate = _beaconDataRate,
                TxPowerDdbm = (int)Math.Round(txPower.Value * 10),
                TimestampNs = UnixNanoseconds(_clock.Epoch, at),
                Tmst = _medium[hotspot.RadioId].CounterAt(at),
            }, tx.End);
        }

        hotspot.NextBeacon = hotspot.Schedule.NextBeaconTime(now, hotspot.Schedule.WindowStart(now));
        Enqueue(ToSim(hotspot.NextBeacon), new SimEvent(SimEventKind.Beacon, hotspot.Index));
    }

    private void Relay(SimHotspot transmitter, SimTime at, byte[] phy, Hz frequency)
    {
        var result = _medium.Submit(new TransmitRequest
        {
            Sender = transmitter.RadioId, Start = at, Frequency = frequency, DataRate = _beaconPlan.DataRate,
            TxPower = _beaconPlan.MaxEirp - transmitter.Radio.AntennaGainDbi, Payload = phy,
        });
        if (result.Transmission is { } tx)
        {
            // Another relay listener may hear this copy and react at once, as with an original beacon.
            Enqueue(tx.End, new SimEvent(SimEventKind.Resolve, transmitter.Index));
        }
    }

    private void HandleReceptions(IReadOnlyList<Reception> receptions)
    {
        foreach (var reception in receptions)
        {
            var receiver = reception.Receiver.Value;
            if (receiver >= _hotspots.Count)
            {
                DeviceHeard(reception); // devices are tuned only in their own receive windows
                continue;
            }

            var sender = reception.Transmission.Sender.Value;
            if (sender >= _hotspots.Count)
            {
                _uplinkCopies++;
                _heardCopies.Add((receiver, reception));
                continue;
            }

            Witness(_hotspots[receiver], reception);
        }

        ForwardHeardCopies();
    }

    private void Witness(SimHotspot witness, Reception reception)
    {
        if (witness.Recognizer.Classify(reception.Payload.Span, out var beaconData) != WitnessDecision.Witness)
        {
            return;
        }

        if (!_beaconOwner.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(beaconData.Span, out var beaconer))
        {
            return; // a proprietary frame of beacon size that nobody beaconed: not ours to witness
        }

        var heardFrom = reception.Transmission.Sender.Value;
        var report = WitnessReportFor(witness, reception, beaconData, reception.Rssi, reception.SnrDb);
        Report(witness, report, reception.ArrivalEnd, new WitnessOrigin(witness.Index, beaconer, heardFrom, reception.Rssi.Value, _beaconSensitivityDbm));

        if (witness.Role == HotspotRole.RelayListener && witness.Partner is { } partnerIndex && partnerIndex != beaconer)
        {
            // The pair's tunnel: the far partner claims to have heard the beacon (with the listener's signal) and
            // re-transmits it over the air where it stands.
            var partner = _hotspots[partnerIndex];
            partner.Recognizer.RememberOwn(beaconData.Span);
            var claimed = WitnessReportFor(partner, reception, beaconData, reception.Rssi, reception.SnrDb);
            var claimedAt = reception.ArrivalEnd + (RelayDelay / 2);
            claimed.TimestampNs = UnixNanoseconds(_clock.Epoch, claimedAt);
            claimed.Tmst = _medium[partner.RadioId].CounterAt(claimedAt);
            claimed.HasFineTimestamp = false;
            claimed.FineTimestampNs = 0;
            Report(partner, claimed, claimedAt, new WitnessOrigin(partner.Index, beaconer, witness.Index, reception.Rssi.Value, _beaconSensitivityDbm));
            // The medium is resolved only up to the present; a relay can never start in the past.
            var relayAt = SimTime.Max(reception.ArrivalEnd + RelayDelay, _medium.ResolvedUntil);
            Enqueue(relayAt, new SimEvent(SimEventKind.Relay, partnerIndex, reception.Payload.ToArray(), reception.Frequency));
        }
    }

    /// <summary>A data rate's report text ("SF12BW125"), formatted once per data rate.</summary>
    private string NameOf(DataRate dataRate)
    {
        if (!_dataRateNames.TryGetValue(dataRate, out var name))
        {
            name = dataRate.ToString();
            _dataRateNames[dataRate] = name;
        }

        return name;
    }

    private WitnessReport WitnessReportFor(SimHotspot witness, Reception reception, ReadOnlyMemory<byte> beaconData, Dbm rssi, double snrDb)
    {
        var report = new WitnessReport
        {
            HotspotKey = _signerKeys[witness.Index],
            Data = ByteString.CopyFrom(beaconData.Span),
            TimestampNs = UnixNanoseconds(_clock.Epoch, reception.ArrivalEnd),
            Tmst = reception.CounterTimestampMicroseconds,
            SignalDdbm = (int)Math.Round(rssi.Value * 10),
            SnrCdb = (int)Math.Round(snrDb * 100),
            FrequencyHz = (ulong)reception.Frequency.Value,
            Datarate = NameOf(reception.DataRate),
        };
        if (reception.FineTimestampNanoseconds is { } fine)
        {
            report.HasFineTimestamp = true;
            report.FineTimestampNs = (ulong)(fine % 1_000_000_000);
        }

        return report;
    }
}
