namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Why a datagram was rejected; servers count malformed datagrams per kind.</summary>
public enum GwmpErrorKind
{
    /// <summary>Shorter than the header its packet type requires.</summary>
    TooShort,

    /// <summary>Byte 0 is not a protocol version we speak (1 or 2).</summary>
    UnknownVersion,

    /// <summary>Byte 3 is not one of the six packet identifiers.</summary>
    UnknownType,

    /// <summary>The JSON body is missing, not UTF-8 JSON, or not an object.</summary>
    BadJson,

    /// <summary>A JSON field has the wrong type (a string where a number belongs, …).</summary>
    WrongFieldType,

    /// <summary>A field the protocol requires is absent.</summary>
    MissingField,

    /// <summary>The <c>size</c> field disagrees with the length of the base64-decoded <c>data</c>.</summary>
    SizeMismatch,

    /// <summary>A field has the right type but a value out of its range or vocabulary.</summary>
    InvalidValue,
}

/// <summary>A rejected datagram: the kind (for counters) and a reason naming the field and the problem.</summary>
public readonly record struct GwmpDecodeError(GwmpErrorKind Kind, string Reason)
{
    /// <summary>snake_case name of the kind, as used in counters and the monitor's JSON output.</summary>
    public string KindName => KindNameOf(Kind);

    public static string KindNameOf(GwmpErrorKind kind) => kind switch
    {
        GwmpErrorKind.TooShort => "too_short",
        GwmpErrorKind.UnknownVersion => "unknown_version",
        GwmpErrorKind.UnknownType => "unknown_type",
        GwmpErrorKind.BadJson => "bad_json",
        GwmpErrorKind.WrongFieldType => "wrong_field_type",
        GwmpErrorKind.MissingField => "missing_field",
        GwmpErrorKind.SizeMismatch => "size_mismatch",
        GwmpErrorKind.InvalidValue => "invalid_value",
        _ => kind.ToString(),
    };

    public override string ToString() => $"{KindName}: {Reason}";
}

/// <summary>Thrown by the throwing decode methods; carries the same <see cref="GwmpDecodeError"/> the Try methods return.</summary>
public sealed class GwmpFormatException : FormatException
{
    public GwmpFormatException(GwmpDecodeError error)
        : base(error.ToString()) => Error = error;

    public GwmpFormatException()
        : this(new GwmpDecodeError(GwmpErrorKind.BadJson, "malformed GWMP datagram"))
    {
    }

    public GwmpFormatException(string message)
        : this(new GwmpDecodeError(GwmpErrorKind.BadJson, message))
    {
    }

    public GwmpFormatException(string message, Exception innerException)
        : base(message, innerException) => Error = new GwmpDecodeError(GwmpErrorKind.BadJson, message);

    public GwmpDecodeError Error { get; }
}
