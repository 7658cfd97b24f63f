import Foundation

/// What the counter service saw: every command with its connection and times, and how many
/// connections were opened. Checks read it to tell a program that really used the service
/// from one that printed the right text by itself.
public struct CounterRecording: Sendable, Equatable {
    public struct Command: Sendable, Equatable {
        /// 1 for the first connection opened since the last reset, 2 for the next…
        public let connection: Int
        /// The line as received, without its newline.
        public let line: String
        /// What the service answered, without its newline.
        public let reply: String
        public let received: Date
        public let answered: Date
    }

    public var commands: [Command] = []
    public var connectionsOpened = 0
    /// The most connections open at one moment.
    public var mostOpenAtOnce = 0

    /// Nothing recorded.
    public init() {}
}
