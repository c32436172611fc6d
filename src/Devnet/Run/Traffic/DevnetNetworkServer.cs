using System.Numerics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.DataCredits.Sync;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.Proto;
using Microsoft.Extensions.Logging.Abstractions;
using DcChargeRequest = DePin.Wireless.DataCredits.Charging.ChargeRequest;
using NsChargeRequest = DePin.Wireless.NetworkServer.Pipeline.ChargeRequest;
using NsChargeResult = DePin.Wireless.NetworkServer.Pipeline.ChargeResult;

namespace DePin.Wireless.Devnet.Run.Traffic;

/// <summary>The network server's answer to one forwarded copy, and when the hotspot could act on it.</summary>
public sealed record ServerAnswer<TTag>(TTag Tag, PacketReportResponse Response, DateTimeOffset DecidedAt);

/// <summary>
/// The real network server and Data Credits ledger in one process on simulated time: the NetworkServer's
/// <see cref="UplinkPipeline"/> over an <see cref="InMemoryNetworkStore"/>, charging through DataCredits'
/// <see cref="PacketCharger"/> bound to an <see cref="InProcessDcLedger"/>, integration events to an in-process
/// sink. Copies are handed over in arrival order; the dedup window's timers fire as <see cref="AdvanceTo"/> moves
/// the <see cref="SimulatedTimerClock"/>, so a frame is processed exactly when its window closes in simulated time.
/// </summary>
public sealed class DevnetNetworkServer<TTag>
{
    private const string ChainSource = "devnet-chain";

    private readonly SimulatedTimerClock _clock;
    private readonly InMemoryNetworkStore _store = new();
    private readonly DevnetEventSink _events = new();
    private readonly InProcessDcLedger _ledger;
    private readonly PacketCharger _charger;
    private readonly DcConversion _conversion;
    private readonly RouteCache _routes;
    private readonly UplinkPipeline _pipeline;
    private readonly DedupOptions _dedup = new();
    private readonly HotspotAddresses _addresses = new();
    private readonly int _seed;
    private readonly Dictionary<uint, OrganisationAccount> _accounts = [];
    private readonly Dictionary<PacketHash, FrameFate> _fates = [];
    private readonly SortedDictionary<int, long> _boughtBySize = [];
    private readonly PriorityQueue<(Lazy<StageResult<UplinkCopy>> Copy, TTag Tag), (DateTimeOffset Arrival, long Order)> _inbox = new();
    private readonly Dictionary<PacketHash, PendingFrame> _openFrames = [];
    private readonly Queue<PendingFrame> _closing = new();
    private readonly SimulationSynchronizationContext _continuations = new();
    private long _inboxOrder;
    private ulong _block;

    public DevnetNetworkServer(DateTimeOffset start, int seed, TrafficOptions options)
    {
        _seed = seed;
        _clock = new SimulatedTimerClock(start);
        _ledger = new InProcessDcLedger(new LedgerOptions());
        _charger = new PacketCharger(_ledger, new ChargingOptions(), _clock);
        _conversion = new DcConversion(options.TokenPriceUsd);
        _routes = new RouteCache(_store);
        _pipeline = UplinkPipelineFactory.Create(new UplinkPipelineParts(_store, _events, new InProcessUplinkCharger(ChargeAsync), _routes, _clock, NullLoggerFactory.Instance)
        {
            Dedup = _dedup,
            Downlinks = new DownlinkPlannerOptions { Rx2PreferOnRx1DataRateBelow = options.Rx2PreferOnRx1DataRateBelow },
        });
    }

    public UplinkPipeline Pipeline => _pipeline;

    public SimulatedTimerClock Clock => _clock;

    public DevnetEventSink Events => _events;

    public InProcessDcLedger Ledger => _ledger;

    public IReadOnlyCollection<OrganisationAccount> Accounts => _accounts.Values;

    public long ChargedDc { get; private set; }

    public long BoughtCopies { get; private set; }

    /// <summary>Frames of which more copies were bought than their organisation's max_copies (must stay 0).</summary>
    public long FramesOverMaxCopies { get; private set; }

    /// <summary>Frames of which exactly max_copies copies were bought (the limit was reached).</summary>
    public long FramesAtMaxCopies { get; private set; }

    public long DroppedNoBalance => _accounts.Values.Sum(a => a.DroppedNoBalance);

    /// <summary>Bought copies by PHYPayload size in bytes (what each copy was priced on).</summary>
    public IReadOnlyDictionary<int, long> BoughtCopiesBySize => _boughtBySize;

    /// <summary>Registers the organisation with the ledger (payer, max_copies) and the network server (routes, application).</summary>
    public OrganisationAccount AddOrganisation(OrganisationPlan plan)
    {
        var ct = CancellationToken.None;
        _ledger.UpsertOrganisationAsync(new Organisation(plan.Oui, plan.Payer, plan.MaxCopies, Locked: false), ct).GetAwaiter().GetResult();
        _store.AddOrganizationAsync(new Organization(plan.Oui, plan.Payer.ToString(), plan.DevAddrRange, plan.JoinEuiRange, plan.MaxCopies), ct).GetAwaiter().GetResult();
        _store.AddApplicationAsync(new Application(plan.Application, FormattableString.Invariant($"sensors of organisation {plan.Oui}")), ct).GetAwaiter().GetResult();
        _routes.RefreshAsync(ct).GetAwaiter().GetResult();
        var account = new OrganisationAccount(plan);
        _accounts[plan.Oui] = account;
        return account;
    }

    /// <summary>Provisions an OTAA device (DevEUI, JoinEUI, AppKey) in its organisation's application.</summary>
    public void AddDevice(OrganisationPlan organisation, Eui64 devEui, Eui64 joinEui, AesKey appKey, string region, string name)
    {
        _store.AddDeviceAsync(new Device(devEui, organisation.Application, joinEui, appKey, region) { Name = name }, CancellationToken.None).GetAwaiter().GetResult();
        _accounts[organisation.Oui].Devices++;
    }

    /// <summary>Token base units a payer burns to buy at least <paramref name="dc"/> DC at the configured price.</summary>
    public BigInteger TokensFor(long dc)
    {
        var tokens = new BigInteger(dc) * 1000;
        return tokens * 1_000_000 / new BigInteger(_conversion.TokenPriceUsd * 1_000_000) + 1;
    }

    /// <summary>
    /// The payer burns tokens for DC: the burn is credited through the ledger's chain-sync batch (one simulated block,
    /// transaction hash derived from the seed), as BurnSyncer credits DataCreditsBurned logs.
    /// </summary>
    public long Burn(OrganisationPlan organisation, BigInteger tokens, DateTimeOffset at)
    {
        var account = _accounts[organisation.Oui];
        var dc = (long)_conversion.ToDc(tokens);
        _block++;
        var tx = OrganisationPlan.SeededHash(FormattableString.Invariant($"devnet/{_seed}/burn/{organisation.Oui}/{account.Burns}"));
        var blockHash = OrganisationPlan.SeededHash(FormattableString.Invariant($"devnet/{_seed}/block/{_block}"));
        var checkpoint = new SyncCheckpoint(_block, blockHash);
        var credit = new BurnCredit(tx, 0, _block, blockHash, organisation.Payer, tokens, dc);
        _ledger.ApplySyncBatchAsync(new SyncBatch(ChainSource, [credit], checkpoint, [checkpoint]), CancellationToken.None).GetAwaiter().GetResult();
        account.Burns++;
        account.BurnedTokens += tokens;
        account.CreditedDc += dc;
        var status = _ledger.GetOrganisationAsync(organisation.Oui, CancellationToken.None).GetAwaiter().GetResult()!;
        Observe(account, status.BalanceDc, status.Enabled, at);
        return dc;
    }

    /// <summary>
    /// A copy reaches the network server at <paramref name="arrival"/>; <paramref name="verified"/> gives its stage-1
    /// result (see <see cref="UplinkPipeline.Verify"/>), possibly computed in the background, when it is handed over.
    /// </summary>
    public void Enqueue(DateTimeOffset arrival, Lazy<StageResult<UplinkCopy>> verified, TTag tag) =>
        _inbox.Enqueue((verified, tag), (arrival, _inboxOrder++));

    /// <summary>
    /// Hands over every copy that has arrived by <paramref name="until"/>, in arrival order, firing the dedup timers
    /// due in between, and collects the answers of copies whose frame has been decided.
    /// </summary>
    public void AdvanceTo(DateTimeOffset until, List<ServerAnswer<TTag>> answers)
    {
        while (_inbox.TryPeek(out var item, out var key) && key.Arrival <= until)
        {
            CloseFramesUntil(key.Arrival, answers);
            _inbox.Dequeue();
            Submit(item.Copy.Value, item.Tag, key.Arrival, answers);
        }

        CloseFramesUntil(until, answers);
    }

    /// <summary>DC data-transfer shares per hotspot address over the charging epochs from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public IReadOnlyDictionary<string, ulong> DataTransferShares(DateTimeOffset from, DateTimeOffset to)
    {
        var epochLength = (long)new ChargingOptions().EpochLength.TotalMilliseconds;
        var shares = new Dictionary<string, ulong>(StringComparer.Ordinal);
        for (var epoch = from.ToUnixTimeMilliseconds() / epochLength; epoch <= to.ToUnixTimeMilliseconds() / epochLength; epoch++)
        {
            foreach (var share in _ledger.GetDataTransferSharesAsync(epoch, CancellationToken.None).GetAwaiter().GetResult())
            {
                shares[share.Hotspot] = shares.GetValueOrDefault(share.Hotspot) + (ulong)share.Dc;
            }
        }

        return shares;
    }

    /// <summary>Reads every payer's final balance into the accounts.</summary>
    public void Settle()
    {
        foreach (var status in _ledger.ListOrganisationsAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            var account = _accounts[(uint)status.Organisation.Oui];
            account.BalanceDc = status.BalanceDc;
            account.Enabled = status.Enabled;
            if (account.ReenabledAt is not null)
            {
                account.DeliveredAfterReenable = _events.UplinksByApplication.GetValueOrDefault(account.Plan.Application.ToString()) - account.DeliveredAtReenable;
            }
        }
    }

    private void Submit(StageResult<UplinkCopy> copy, TTag tag, DateTimeOffset arrival, List<ServerAnswer<TTag>> answers)
    {
        // The pipeline's await on the dedup outcome resumes through this context, i.e. on the simulation thread when
        // the window's frame has been processed, in a fixed order, instead of on the thread pool.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_continuations);
        Task<PacketReportResponse> task;
        try
        {
            task = _pipeline.HandleVerifiedAsync(copy, CancellationToken.None);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (task.IsCompleted)
        {
            // Refused before the dedup window (bad envelope, no route, not bought, late): answered at once.
            answers.Add(new ServerAnswer<TTag>(tag, task.GetAwaiter().GetResult(), arrival));
            return;
        }

        var hash = PacketHash.Of(copy.Value!.Report.Payload.Span);
        if (!_openFrames.TryGetValue(hash, out var frame))
        {
            // The first copy opened the window now: it closes one dedup window later in simulated time.
            frame = new PendingFrame(hash, arrival + _dedup.Window);
            _openFrames.Add(hash, frame);
            _closing.Enqueue(frame);
        }

        frame.Copies.Add((task, tag));
    }

    private void CloseFramesUntil(DateTimeOffset time, List<ServerAnswer<TTag>> answers)
    {
        _clock.AdvanceTo(time);
        _continuations.RunPending();
        while (_closing.TryPeek(out var frame) && frame.CloseAt <= time)
        {
            _closing.Dequeue();
            _openFrames.Remove(frame.Hash);

            // The window's timer has fired and the frame was processed inside it; the copies' answers completed as
            // their continuations ran above.
            foreach (var (task, tag) in frame.Copies)
            {
                while (!task.IsCompleted)
                {
                    _continuations.RunPending();
                    Thread.Yield();
                }

                answers.Add(new ServerAnswer<TTag>(tag, task.GetAwaiter().GetResult(), frame.CloseAt));
            }
        }
    }

    private async Task<NsChargeResult> ChargeAsync(NsChargeRequest request, CancellationToken cancellationToken)
    {
        var account = _accounts[request.Oui];
        var fate = FateOf(request.PacketHash, account);
        var response = await _charger.ChargeAsync(new DcChargeRequest(new Hash32(request.PacketHash.ToArray()), request.Oui, request.PayloadSize, _addresses.Of(request.Hotspot)), cancellationToken);
        Observe(account, response.BalanceDc, response.OrganisationEnabled, _clock.GetUtcNow());
        switch (response.Outcome)
        {
            case ChargeOutcome.Charged:
                ChargedDc += response.Dc;
                BoughtCopies++;
                _boughtBySize[request.PayloadSize] = _boughtBySize.GetValueOrDefault(request.PayloadSize) + 1;
                account.ChargedDc += response.Dc;
                account.BoughtCopies++;
                if (fate.Bought == 0 && fate.BalanceRefused)
                {
                    account.DroppedNoBalance--;
                }

                fate.Bought++;
                if (fate.Bought == account.Plan.MaxCopies)
                {
                    FramesAtMaxCopies++;
                }
                else if (fate.Bought > account.Plan.MaxCopies)
                {
                    FramesOverMaxCopies++;
                }

                return NsChargeResult.BoughtFor(response.Dc);
            case ChargeOutcome.InsufficientBalance or ChargeOutcome.OrganisationDisabled:
                if (fate.Bought == 0 && !fate.BalanceRefused)
                {
                    account.DroppedNoBalance++;
                }

                fate.BalanceRefused = true;
                return NsChargeResult.NotBought(response.Outcome == ChargeOutcome.InsufficientBalance ? NotBoughtReason.NoBalance : NotBoughtReason.OrgDisabled);
            case ChargeOutcome.CopyLimitReached or ChargeOutcome.DuplicateCopy:
                return NsChargeResult.NotBought(NotBoughtReason.MaxCopies);
            default:
                return NsChargeResult.NotBought(NotBoughtReason.OrgDisabled);
        }
    }

    private FrameFate FateOf(PacketHash hash, OrganisationAccount account)
    {
        if (!_fates.TryGetValue(hash, out var fate))
        {
            fate = new FrameFate();
            _fates.Add(hash, fate);
        }

        return fate;
    }

    private void Observe(OrganisationAccount account, long balance, bool enabled, DateTimeOffset at)
    {
        if (account.Enabled && !enabled)
        {
            account.DisabledAt ??= at;
        }
        else if (!account.Enabled && enabled && account.DisabledAt is not null && account.ReenabledAt is null)
        {
            account.ReenabledAt = at;
            account.DeliveredAtReenable = _events.UplinksByApplication.GetValueOrDefault(account.Plan.Application.ToString());
        }

        account.Enabled = enabled;
        account.BalanceDc = balance;
    }

    private sealed class FrameFate
    {
        public int Bought { get; set; }

        public bool BalanceRefused { get; set; }
    }

    private sealed class PendingFrame(PacketHash hash, DateTimeOffset closeAt)
    {
        public PacketHash Hash { get; } = hash;

        public DateTimeOffset CloseAt { get; } = closeAt;

        public List<(Task<PacketReportResponse> Task, TTag Tag)> Copies { get; } = [];
    }
}

/// <summary>Collects posted continuations so the simulation thread runs them when it chooses, in posting order.</summary>
internal sealed class SimulationSynchronizationContext : SynchronizationContext
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _posted = new();

    public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs everything posted so far (and anything those callbacks post).</summary>
    public void RunPending()
    {
        while (_posted.TryDequeue(out var item))
        {
            item.Callback(item.State);
        }
    }
}

/// <summary>
/// The application side of the run's integration: an in-process <see cref="IEventPublisher"/> that takes every
/// event the network server publishes (what an MQTT subscriber to <c>application/#</c> would get) and counts it.
/// </summary>
public sealed class DevnetEventSink : IEventPublisher
{
    private readonly Dictionary<string, long> _uplinksByApplication = new(StringComparer.Ordinal);

    /// <summary>Uplink frames delivered to applications (<c>up</c> events).</summary>
    public long Uplinks { get; private set; }

    /// <summary>Devices the network server joined (<c>join</c> events).</summary>
    public long Joins { get; private set; }

    public long OtherEvents { get; private set; }

    /// <summary>The <c>up</c> event last delivered, for the caller that needs to attribute it.</summary>
    public UplinkEvent? LastUplink { get; private set; }

    public IReadOnlyDictionary<string, long> UplinksByApplication => _uplinksByApplication;

    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        switch (integrationEvent)
        {
            case UplinkEvent up:
                Uplinks++;
                LastUplink = up;
                var app = up.DeviceInfo.ApplicationId.ToString();
                _uplinksByApplication[app] = _uplinksByApplication.GetValueOrDefault(app) + 1;
                break;
            case JoinEvent:
                Joins++;
                break;
            default:
                OtherEvents++;
                break;
        }

        return Task.CompletedTask;
    }
}
