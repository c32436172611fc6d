namespace DePin.Wireless.NetworkServer.Integration;

/// <summary>
/// Application identifier as it appears in topics and credentials (ChirpStack uses UUIDs). Restricted to
/// letters, digits, '-', '_' and '.', so it can never smuggle MQTT wildcards or level separators into a topic or ACL.
/// </summary>
public readonly record struct AppId
{
    public const int MaxLength = 64;

    private AppId(string value) => Value = value;

    public string Value { get; }

    public static AppId Parse(ReadOnlySpan<char> text, string field = "applicationId") =>
        Validate(text) is { } problem ? throw new FormatException($"{field}: '{text}' {problem}") : new AppId(text.ToString());

    public static bool TryParse(ReadOnlySpan<char> text, out AppId id)
    {
        id = Validate(text) is null ? new AppId(text.ToString()) : default;
        return id.Value is not null;
    }

    public override string ToString() => Value ?? "";

    private static string? Validate(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return "must not be empty";
        }

        if (text.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"contains '{c}'; only ASCII letters, digits, '-', '_' and '.' are allowed";
            }
        }

        return null;
    }
}
