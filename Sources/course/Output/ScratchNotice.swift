import Grading

/// Says, once per command, what earlier runs killed half-way left behind and was removed.
enum ScratchNotice {
    static func sweep() {
        let leftovers = Scratch.sweepAbandoned()
        if !leftovers.isEmpty { StandardOutput.error("note: \(leftovers.description)\n") }
    }
}
