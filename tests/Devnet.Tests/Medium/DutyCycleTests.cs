using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.Devnet.Medium;
using static DePin.Wireless.Devnet.Tests.Medium.MediumKit;

namespace DePin.Wireless.Devnet.Tests.Medium;

public sealed class DutyCycleTests
{
    [Fact]
    public void A_device_over_its_one_percent_budget_must_wait_an_hour_from_its_first_packet()
    {
        var medium = NewMedium();
        var device = medium.Device("d", Origin);
        var airtime = TimeOnAir.Compute(Sf12, 51);
        var budget = TimeSpan.FromSeconds(36); // 1 % of one hour, ETSI band M (868.0–868.6 MHz)
        var fits = (int)(budget.Ticks / airtime.Ticks);
        var request = new TransmitRequest { Sender = device, Start = SimTime.Zero, Frequency = Ch1, DataRate = Sf12, TxPower = new Dbm(14), Payload = new byte[51] };

        for (var i = 0; i < fits; i++)
        {
            var at = SimTime.FromSeconds(10 * i);
            Assert.True(medium.CanTransmit(device, Ch1, airtime, at));
            Assert.True(medium.Submit(request with { Start = at }).Accepted);
        }

        var next = SimTime.FromSeconds(10 * fits);
        Assert.False(medium.CanTransmit(device, Ch1, airtime, next));
        var refused = medium.Submit(request with { Start = next });
        Assert.Equal(SubmitOutcome.DutyCycleExceeded, refused.Outcome);
        Assert.Null(refused.Transmission);
        Assert.Equal(SimTime.FromSeconds(3600), refused.NextAllowed);
        Assert.Equal(SimTime.FromSeconds(3600), medium.NextAllowed(device, Ch1, airtime, next));

        // Another sub-band has its own budget.
        Assert.True(medium.CanTransmit(device, Hz.FromMegahertz(867.1), airtime, next));
        Assert.True(medium.Submit(request with { Start = SimTime.FromSeconds(3600) }).Accepted);
    }

    [Fact]
    public void Radios_exempt_from_duty_cycle_and_plans_without_bands_are_not_limited()
    {
        var exempt = NewMedium();
        var device = exempt.Device("d", Origin, dutyCycle: false);
        var request = new TransmitRequest { Sender = device, Start = SimTime.Zero, Frequency = Ch1, DataRate = Sf12, TxPower = new Dbm(14), Payload = new byte[51] };
        for (var i = 0; i < 40; i++)
        {
            Assert.True(exempt.Submit(request with { Start = SimTime.FromSeconds(3 * i) }).Accepted);
        }

        var us = new RadioMedium(new RadioMediumOptions { Region = RegionPlans.Get("US915"), Propagation = Deterministic });
        var usDevice = us.Device("u", Origin);
        Assert.True(us.CanTransmit(usDevice, Hz.FromMegahertz(902.3), TimeSpan.FromSeconds(1), SimTime.Zero));
        Assert.Equal(SimTime.FromSeconds(7), us.NextAllowed(usDevice, Hz.FromMegahertz(902.3), TimeSpan.FromSeconds(1), SimTime.FromSeconds(7)));
    }
}
