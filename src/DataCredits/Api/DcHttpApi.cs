using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Api;

/// <summary>
/// The DataCredits HTTP API (JSON, camelCase):
///   POST /v1/charge                         charge one packet copy (router → DataCredits)
///   POST /v1/charge/batch                   charge an array of copies in one transaction (answers an array, same order)
///   GET  /v1/balance/{payer}                a payer's DC balance
///   GET  /v1/organisations                  all organisations with balance and enabled state
///   GET  /v1/organisations/{oui}            one organisation
///   PUT  /v1/organisations/{oui}            create/update an organisation {payer, maxCopies, locked}
///   POST /v1/payers/{payer}/credit          operator grant {dc}
///   GET  /v1/shares?epoch=E                 data-transfer shares per hotspot for reward epoch E
///                                           (E = unix time / 24 h): {"epoch":E,"shares":[{hotspot,dc,packets}]};
///                                           /v1/shares/{epoch} answers the same document
/// Bad input answers 400 {"error": "..."} naming the field.
/// </summary>
public static class DcHttpApi
{
    public static void Map(IEndpointRouteBuilder app, IDcLedger ledger, PacketCharger charger)
    {
        app.MapPost("/v1/charge", (ChargeRequestDto body, CancellationToken ct) => Guarded(async () =>
        {
            var request = ToRequest(body, string.Empty);
            var r = await charger.ChargeAsync(request, ct);
            return Results.Json(new ChargeResponseDto(r.Outcome, r.Bought, r.Dc, r.BalanceDc, r.OrganisationEnabled, r.Epoch), ApiJson.Options);
        }));

        app.MapPost("/v1/charge/batch", (ChargeRequestDto[] body, CancellationToken ct) => Guarded(async () =>
        {
            var epoch = charger.CurrentEpoch();
            var charges = body.Select((dto, i) =>
            {
                var request = ToRequest(dto, $"[{i}].");
                request.Validate();
                return new PacketCharge(request.PacketHash, request.Oui, request.Hotspot, DcPricing.PacketCost(request.PayloadSize), epoch);
            }).ToList();
            var results = await ledger.ChargeBatchAsync(charges, ct);
            return Results.Json(
                results.Select((r, i) => new ChargeResponseDto(r.Outcome, r.Outcome == ChargeOutcome.Charged, r.Outcome == ChargeOutcome.Charged ? charges[i].Dc : 0, r.BalanceDc, r.OrganisationEnabled, epoch)),
                ApiJson.Options);
        }));

        app.MapGet("/v1/balance/{payer}", (string payer, CancellationToken ct) => Guarded(async () =>
        {
            var key = PayerKey.Parse(payer);
            return Results.Json(new BalanceDto(key.ToString(), await ledger.GetBalanceAsync(key, ct)), ApiJson.Options);
        }));

        app.MapGet("/v1/organisations", async (CancellationToken ct) =>
            Results.Json((await ledger.ListOrganisationsAsync(ct)).Select(ToDto), ApiJson.Options));

        app.MapGet("/v1/organisations/{oui}", (ulong oui, CancellationToken ct) => Guarded(async () =>
            await ledger.GetOrganisationAsync(oui, ct) is { } status
                ? Results.Json(ToDto(status), ApiJson.Options)
                : Results.Json(new ErrorDto($"organisation {oui} not found"), ApiJson.Options, statusCode: 404)));

        app.MapPut("/v1/organisations/{oui}", (ulong oui, OrganisationDto body, CancellationToken ct) => Guarded(async () =>
        {
            var organisation = new Organisation(oui, PayerKey.Parse(Required(body.Payer, "payer")), body.MaxCopies ?? 1, body.Locked ?? false);
            await ledger.UpsertOrganisationAsync(organisation, ct);
            return Results.Json(ToDto((await ledger.GetOrganisationAsync(oui, ct))!), ApiJson.Options);
        }));

        app.MapPost("/v1/payers/{payer}/credit", (string payer, CreditDto body, CancellationToken ct) => Guarded(async () =>
        {
            var key = PayerKey.Parse(payer);
            var dc = Required(body.Dc, "dc");
            if (dc <= 0)
            {
                throw new ArgumentException($"dc must be positive, got {dc}");
            }

            return Results.Json(new BalanceDto(key.ToString(), await ledger.AddCreditAsync(key, dc, ct)), ApiJson.Options);
        }));

        // The oracle's reward run reads this (CoverageOracle/Rewards/DataTransferShares.cs, HttpDataTransferShares).
        app.MapGet("/v1/shares", (string? epoch, CancellationToken ct) => Guarded(() => SharesAsync(ledger, epoch, ct)));
        app.MapGet("/v1/shares/{epoch}", (string epoch, CancellationToken ct) => Guarded(() => SharesAsync(ledger, epoch, ct)));
    }

    private static async Task<IResult> SharesAsync(IDcLedger ledger, string? epochText, CancellationToken ct)
    {
        var epoch = ParseEpoch(epochText);
        var shares = await ledger.GetDataTransferSharesAsync(epoch, ct);
        return Results.Json(new SharesDocumentDto(epoch, shares.Select(s => new ShareDto(s.Hotspot, s.Dc, s.Packets)).ToList()), ApiJson.Options);
    }

    private static long ParseEpoch(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException("epoch is required (unix time / 24 h, e.g. ?epoch=20413)");
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch))
        {
            throw new ArgumentException($"epoch must be a whole number ≥ 0 (unix time / 24 h), got '{text}'");
        }

        return epoch;
    }

    private static ChargeRequest ToRequest(ChargeRequestDto body, string prefix) => new(
        Hash32.Parse(Required(body.PacketHash, prefix + "packetHash"), prefix + "packetHash"),
        Required(body.Oui, prefix + "oui"),
        Required(body.PayloadSize, prefix + "payloadSize"),
        Required(body.Hotspot, prefix + "hotspot"));

    private static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new ArgumentException($"{field} is required");

    private static string Required(string? value, string field) =>
        value ?? throw new ArgumentException($"{field} is required");

    private static async Task<IResult> Guarded(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return Results.Json(new ErrorDto(e.Message), ApiJson.Options, statusCode: 400);
        }
    }

    private static OrganisationStatusDto ToDto(OrganisationStatus s) =>
        new(s.Organisation.Oui, s.Organisation.Payer.ToString(), s.Organisation.MaxCopies, s.Organisation.Locked, s.BalanceDc, s.Enabled);
}
