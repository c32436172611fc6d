using System.Runtime.CompilerServices;

// The identity benchmarks time envelope framing separately from the signature primitive.
[assembly: InternalsVisibleTo("Benchmarks")]
