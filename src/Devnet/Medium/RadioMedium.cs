using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>
/// The simulated air. Radios register; <see cref="Submit"/> puts packets in flight; <see cref="ResolveUntil"/>
/// decides, for every packet that has ended by then, which receivers demodulated it (link budget, half-duplex,
/// capture and inter-SF interference against every overlapping packet). Pure and deterministic: the same seed,
/// registrations and submissions give the same receptions. Runs on simulated time only. Not thread-safe: drive it
/// from one simulation loop.
/// </summary>
public sealed class RadioMedium
{
    private const ulong FineTimestampPurpose = 0x46494E45UL; // "FINE"
    private const ulong CounterPurpose = 0x434E5452UL; // "CNTR"

    private readonly List<RegisteredRadio> radios = [];
    private readonly Dictionary<string, RadioId> byName = new(StringComparer.Ordinal);
    private readonly List<InFlight> retained = [];
    private readonly Dictionary<int, DutyCycleTracker> dutyTrackers = [];
    private readonly Dictionary<int, SimTime> lastStartBySender = [];
    private readonly HashSet<int> transmittingDuringVictim = [];
    private readonly List<InFlight> interferingPackets = [];
    private readonly List<(Dbm Power, int SpreadingFactor)> interferers = [];
    private readonly KeyedRandom timestampNoise = new();
    private readonly SimulationClock clock;
    private readonly PropagationModel propagation;
    private readonly ReceiverSearch search;
    private readonly ulong seedKey;
    private long nextTransmissionId;

    public RadioMedium(RadioMediumOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        propagation = new PropagationModel(options.Propagation, options.Seed);
        clock = new SimulationClock(options.Epoch);
        search = new ReceiverSearch(propagation, options.GridCellSizeMeters);
        seedKey = SeedMixer.Mix((ulong)(uint)options.Seed);
    }

    public RadioMediumOptions Options { get; }

    public PropagationModel Propagation => propagation;

    public IReadOnlyList<RegisteredRadio> Radios => radios;

    /// <summary>Everything before this instant has been resolved; new transmissions must start at or after it.</summary>
    public SimTime ResolvedUntil { get; private set; }

    /// <summary>Transmissions kept because they are unresolved or may still interfere with one that is.</summary>
    public int RetainedTransmissions => retained.Count;

    public RegisteredRadio this[RadioId id] =>
        id.Value >= 0 && id.Value < radios.Count ? radios[id.Value] : throw new ArgumentOutOfRangeException(nameof(id), $"radio medium: {id} is not registered");

    public bool TryFind(string name, out RadioId id) => byName.TryGetValue(name, out id);

    public RadioId Register(RadioRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RadioRegistrationRules.Validate(registration);
        if (byName.ContainsKey(registration.Name))
        {
            throw new ArgumentException($"radio medium: a radio named '{registration.Name}' is already registered", nameof(registration));
        }

        var id = new RadioId(radios.Count);
        var key = SeedMixer.Key(registration.Name);
        var offset = registration.CounterOffsetMicroseconds ?? (uint)SeedMixer.Combine(seedKey, CounterPurpose, key);
        radios.Add(new RegisteredRadio(id, registration, key, offset));
        byName[registration.Name] = id;
        search.Add(registration, key);
        return id;
    }

    /// <summary>Tunes a device's single-channel receiver to one frequency and data rate (its RX1/RX2 window); <see cref="Untune"/> turns it off.</summary>
    public void Tune(RadioId device, Hz frequency, DataRate dataRate)
    {
        var radio = this[device];
        if (radio.Kind != RadioKind.Device)
        {
            throw new ArgumentException($"radio medium: {radio.Name} is a hotspot; only devices are tuned to one channel", nameof(device));
        }

        radio.DeviceTuning = (frequency, dataRate);
    }

    public void Untune(RadioId device) => this[device].DeviceTuning = null;

    /// <summary>Whether the region's duty cycle lets <paramref name="sender"/> start <paramref name="airtime"/> on this frequency at <paramref name="at"/>.</summary>
    public bool CanTransmit(RadioId sender, Hz frequency, TimeSpan airtime, SimTime at) => NextAllowed(sender, frequency, airtime, at) <= at;

    /// <summary>The earliest instant ≥ <paramref name="at"/> at which the duty cycle allows this transmission.</summary>
    public SimTime NextAllowed(RadioId sender, Hz frequency, TimeSpan airtime, SimTime at)
    {
        var tracker = DutyTrackerFor(this[sender]);
        if (tracker is null)
        {
            return at;
        }

        RequireSenderTimeOrder(sender, at);
        clock.Set(at);
        return FromUtc(tracker.NextTransmitTime(frequency, airtime));
    }

    /// <summary>Puts a packet on the air if the sender is free and its duty cycle allows; it is resolved by <see cref="ResolveUntil"/> once it has ended.</summary>
    public SubmitResult Submit(TransmitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sender = this[request.Sender];
        if (request.Start < ResolvedUntil)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"radio medium: transmission start {request.Start} is before {ResolvedUntil}, which is already resolved");
        }

        RequireSenderTimeOrder(request.Sender, request.Start);
        var airtime = TimeOnAir.Breakdown(request.DataRate, request.Payload.Length, request.Shape);
        var end = request.Start + airtime.Total;
        if (retained.Exists(f => f.Transmission.Sender == request.Sender && f.Transmission.OverlapsInTime(request.Start, end)))
        {
            return new SubmitResult(SubmitOutcome.SenderBusy, null, null);
        }

        var tracker = DutyTrackerFor(sender);
        if (tracker is not null)
        {
            clock.Set(request.Start);
            if (!tracker.TryRecordTransmission(request.Frequency, airtime.Total))
            {
                return new SubmitResult(SubmitOutcome.DutyCycleExceeded, null, FromUtc(tracker.NextTransmitTime(request.Frequency, airtime.Total)));
            }
        }

        lastStartBySender[request.Sender.Value] = request.Start;
        var transmission = NewTransmission(request, airtime, end);
        retained.Add(new InFlight(transmission, sender, search.Find(transmission, sender)));
        return new SubmitResult(SubmitOutcome.Accepted, transmission, null);
    }

    /// <summary>Resolves every transmission that has ended by <paramref name="until"/>, in order of end time.</summary>
    public IReadOnlyList<Reception> ResolveUntil(SimTime until, List<LostReception>? losses = null)
    {
        if (until < ResolvedUntil)
        {
            throw new ArgumentOutOfRangeException(nameof(until), $"radio medium: cannot resolve until {until}, already resolved until {ResolvedUntil}");
        }

        var due = retained.Where(f => !f.Resolved && f.Transmission.End <= until)
            .OrderBy(f => f.Transmission.End)
            .ThenBy(f => f.Transmission.Id)
            .ToList();
        var receptions = new List<Reception>();
        var overlapping = new List<InFlight>();
        foreach (var victim in due)
        {
            overlapping.Clear();
            foreach (var other in retained)
            {
                if (!ReferenceEquals(other, victim) && other.Transmission.OverlapsInTime(victim.Transmission.Start, victim.Transmission.End))
                {
                    overlapping.Add(other);
                }
            }

            ResolveOne(victim, overlapping, receptions, losses);
            victim.Resolved = true;
        }

        ResolvedUntil = until;
        Prune();
        return receptions;
    }

    private Transmission NewTransmission(TransmitRequest request, AirtimeBreakdown airtime, SimTime end)
    {
        var spareSymbols = Math.Max(request.Shape.PreambleSymbols - 5, 0);
        return new Transmission
        {
            Id = nextTransmissionId++,
            Sender = request.Sender,
            Start = request.Start,
            End = end,
            Frequency = request.Frequency,
            DataRate = request.DataRate,
            TxPower = request.TxPower,
            Payload = request.Payload.ToArray(),
            Airtime = airtime,
            InvertedIq = request.Shape.InvertedIq,
            CriticalSectionStart = request.Start + TimeSpan.FromTicks(airtime.SymbolTime.Ticks * spareSymbols),
        };
    }

    private void ResolveOne(InFlight victim, List<InFlight> overlapping, List<Reception> receptions, List<LostReception>? losses)
    {
        var tx = victim.Transmission;

        // What depends only on the victim is sorted out once: who is on the air during it (half-duplex), and which of
        // those packets share its spectrum after its spare preamble symbols (interference).
        transmittingDuringVictim.Clear();
        interferingPackets.Clear();
        foreach (var other in overlapping)
        {
            transmittingDuringVictim.Add(other.Sender.Id.Value);
            var o = other.Transmission;
            if (o.End > tx.CriticalSectionStart && o.OverlapsInSpectrum(tx.Frequency, tx.DataRate))
            {
                interferingPackets.Add(other);
            }
        }

        foreach (var candidate in victim.Candidates)
        {
            var receiver = radios[candidate.Receiver];
            var reason = Judge(tx, candidate, receiver);
            if (reason is { } lost)
            {
                losses?.Add(new LostReception(tx, receiver.Id, candidate.Power, lost));
                continue;
            }

            receptions.Add(BuildReception(tx, candidate, receiver));
        }
    }

    private LossReason? Judge(Transmission tx, Candidate candidate, RegisteredRadio receiver)
    {
        if (!receiver.Listens(tx.Frequency, tx.DataRate))
        {
            return LossReason.NotListening;
        }

        if (transmittingDuringVictim.Contains(receiver.Id.Value))
        {
            return LossReason.ReceiverTransmitting;
        }

        var noiseFigure = Options.Propagation.NoiseFigureDb;
        var snr = LinkBudget.SnrDb(candidate.Power, tx.DataRate.BandwidthHz, noiseFigure);
        if (!LinkBudget.CanDemodulate(candidate.Power, snr, tx.DataRate, noiseFigure))
        {
            return LossReason.TooWeak;
        }

        if (interferingPackets.Count == 0)
        {
            return null;
        }

        interferers.Clear();
        foreach (var other in interferingPackets)
        {
            if (other.TryPowerAt(receiver.Id.Value, out var power))
            {
                interferers.Add((power, other.Transmission.DataRate.SpreadingFactor));
            }
        }

        return interferers.Count > 0 && !LoRaInterference.SurvivesAll(candidate.Power, tx.DataRate.SpreadingFactor, interferers)
            ? LossReason.Collision
            : null;
    }

    private Reception BuildReception(Transmission tx, Candidate candidate, RegisteredRadio receiver)
    {
        var delayNanoseconds = (long)Math.Round(candidate.DistanceMeters / FreeSpacePathLoss.SpeedOfLight * 1e9);
        var arrivalStart = tx.Start.AddNanoseconds(delayNanoseconds);
        var arrivalEnd = tx.End.AddNanoseconds(delayNanoseconds);
        return new Reception
        {
            Transmission = tx,
            Receiver = receiver.Id,
            Rssi = candidate.Power,
            SnrDb = LinkBudget.SnrDb(candidate.Power, tx.DataRate.BandwidthHz, Options.Propagation.NoiseFigureDb),
            DistanceMeters = candidate.DistanceMeters,
            ArrivalStart = arrivalStart,
            ArrivalEnd = arrivalEnd,
            CounterTimestampMicroseconds = receiver.CounterAt(arrivalEnd),
            FineTimestampNanoseconds = receiver.Registration.HasGps ? arrivalStart.Nanoseconds + FineTimestampError(tx.Id, receiver.Key) : null,
        };
    }

    private long FineTimestampError(long transmissionId, ulong receiverKey)
    {
        if (Options.FineTimestampSigmaNanoseconds == 0)
        {
            return 0;
        }

        timestampNoise.Reset(SeedMixer.Combine(seedKey, FineTimestampPurpose, (ulong)transmissionId, receiverKey));
        return (long)Math.Round(Options.FineTimestampSigmaNanoseconds * Gaussian.StandardNormal(timestampNoise));
    }

    /// <summary>Drops resolved packets that can no longer overlap anything unresolved or anything submitted later.</summary>
    private void Prune()
    {
        var cutoff = ResolvedUntil;
        foreach (var flight in retained)
        {
            if (!flight.Resolved && flight.Transmission.Start < cutoff)
            {
                cutoff = flight.Transmission.Start;
            }
        }

        retained.RemoveAll(f => f.Resolved && f.Transmission.End <= cutoff);
    }

    private DutyCycleTracker? DutyTrackerFor(RegisteredRadio radio)
    {
        if (!radio.Registration.EnforceDutyCycle || Options.Region.DutyCycleBands.Count == 0)
        {
            return null;
        }

        if (!dutyTrackers.TryGetValue(radio.Id.Value, out var tracker))
        {
            tracker = DutyCycleTracker.ForPlan(Options.Region, clock);
            dutyTrackers[radio.Id.Value] = tracker;
        }

        return tracker;
    }

    private void RequireSenderTimeOrder(RadioId sender, SimTime at)
    {
        if (lastStartBySender.TryGetValue(sender.Value, out var last) && at < last)
        {
            throw new ArgumentOutOfRangeException(nameof(at), $"radio medium: {this[sender].Name} already transmitted at {last}; its time cannot go back to {at}");
        }
    }

    private SimTime FromUtc(DateTimeOffset instant) => SimTime.FromTimeSpan(instant - clock.Epoch);
}

internal static class RadioRegistrationRules
{
    public static void Validate(RadioRegistration registration)
    {
        if (string.IsNullOrWhiteSpace(registration.Name))
        {
            throw new ArgumentException("radio registration: Name must not be empty", nameof(registration));
        }

        if (!double.IsFinite(registration.AntennaGainDbi) || registration.AntennaGainDbi is < -30 or > 30)
        {
            throw new ArgumentException($"radio registration '{registration.Name}': AntennaGainDbi {registration.AntennaGainDbi} is not within −30..30 dBi", nameof(registration));
        }

        if (!double.IsFinite(registration.HeightMeters) || registration.HeightMeters is < 0 or > 10_000)
        {
            throw new ArgumentException($"radio registration '{registration.Name}': HeightMeters {registration.HeightMeters} is not within 0..10000 m", nameof(registration));
        }

        if (registration.Kind is not (RadioKind.Hotspot or RadioKind.Device))
        {
            throw new ArgumentException($"radio registration '{registration.Name}': Kind {(int)registration.Kind} is unknown", nameof(registration));
        }
    }
}
