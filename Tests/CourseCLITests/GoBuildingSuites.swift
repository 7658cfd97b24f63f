import Testing

/// Suites that compile Go programs with frameworks (gin and its dependencies, the race
/// runtime) run one test at a time: together with the rest of the suite they saturated the
/// two cores, and tests with time limits of their own (in-process servers with a 60 s stage)
/// ran out of time waiting for a core.
@Suite(.serialized) enum GoBuildingSuites {}
