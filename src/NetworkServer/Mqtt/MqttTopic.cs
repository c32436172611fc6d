namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>
/// Topic name and topic filter rules of MQTT 3.1.1 section 4.7: '/' separates levels, '+' matches one level,
/// '#' matches the rest (only as the last level), topic names carry no wildcards, neither may be empty or hold U+0000,
/// and filters starting with a wildcard do not match topics starting with '$' (section 4.7.2).
/// </summary>
public static class MqttTopic
{
    /// <summary>Maximum UTF-8 length of an MQTT string (two-byte length prefix, section 1.5.3).</summary>
    public const int MaxLength = 65535;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="topic"/> is not a valid topic name.</summary>
    public static void ValidateName(string topic, string paramName = "topic")
    {
        if (ValidateNameError(topic) is { } error)
        {
            throw new ArgumentException($"invalid MQTT topic name '{topic}': {error}", paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="filter"/> is not a valid topic filter.</summary>
    public static void ValidateFilter(string filter, string paramName = "filter")
    {
        if (ValidateFilterError(filter) is { } error)
        {
            throw new ArgumentException($"invalid MQTT topic filter '{filter}': {error}", paramName);
        }
    }

    public static string? ValidateNameError(string topic)
    {
        if (CommonError(topic) is { } error)
        {
            return error;
        }

        return topic.AsSpan().IndexOfAny('+', '#') >= 0 ? "wildcards '+' and '#' are not allowed in a topic name" : null;
    }

    public static string? ValidateFilterError(string filter)
    {
        if (CommonError(filter) is { } error)
        {
            return error;
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level.Length != 1 || i != levels.Length - 1))
            {
                return "'#' must occupy a whole level and be the last level";
            }

            if (level.Contains('+', StringComparison.Ordinal) && level.Length != 1)
            {
                return "'+' must occupy a whole level";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="topic"/> (a valid name) is matched by <paramref name="filter"/> (a valid filter).</summary>
    public static bool Matches(string filter, string topic)
    {
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fLevel = NextLevel(ref f, out var fMore);
            if (fLevel is "#")
            {
                return true;
            }

            var tLevel = NextLevel(ref t, out var tMore);
            if (fLevel is not "+" && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (!fMore || !tMore)
            {
                // "sport/#" also matches "sport" (section 4.7.1.2): the filter may have exactly "#" left.
                return fMore == tMore || (fMore && f is "#");
            }
        }
    }

    private static ReadOnlySpan<char> NextLevel(ref ReadOnlySpan<char> rest, out bool more)
    {
        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            var last = rest;
            rest = [];
            more = false;
            return last;
        }

        var level = rest[..slash];
        rest = rest[(slash + 1)..];
        more = true;
        return level;
    }

    private static string? CommonError(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain the null character U+0000";
        }

        return System.Text.Encoding.UTF8.GetByteCount(value) > MaxLength ? $"longer than {MaxLength} UTF-8 bytes" : null;
    }
}
