namespace DePin.Wireless.Core.H3;

/// <summary>
/// The seven H3 digits (0 centre, 1 k, 2 j, 3 jk, 4 i, 5 ik, 6 ij) and their 60-degree rotations.
/// Counter-clockwise order around the centre is 1 → 5 → 4 → 6 → 2 → 3 → 1.
/// </summary>
internal static class Digits
{
    public const int Center = 0;
    public const int K = 1;
    public const int J = 2;
    public const int JK = 3;
    public const int I = 4;
    public const int IK = 5;
    public const int IJ = 6;
    public const int Invalid = 7;

    // Index = digit; value = digit after one 60-degree rotation.
    private static ReadOnlySpan<byte> CounterClockwise => [0, 5, 3, 1, 6, 4, 2, 7];

    private static ReadOnlySpan<byte> Clockwise => [0, 3, 6, 2, 5, 1, 4, 7];

    public static int Rotate60CounterClockwise(int digit) => CounterClockwise[digit];

    public static int Rotate60Clockwise(int digit) => Clockwise[digit];
}
