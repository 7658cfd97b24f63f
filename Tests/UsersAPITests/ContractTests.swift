import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Grading
import UsersAPIPiece

/// Builds a reference app (in memory unless a database path is given) for HummingbirdTesting.
func referenceApp(flaws: Flaws = [], databasePath: String? = nil) throws -> UsersAPIServer.App {
    var configuration = UsersAPIServer.Configuration(databasePath: databasePath, jwtSecret: ContractScenarios.secret, flaws: flaws)
    configuration.logLevel = .critical
    return try UsersAPIServer.makeApplication(configuration)
}

@Suite struct UsersAPIContractTests {
    static let setups: [TestingSetup] = [.router, .live]

    @Test("the reference meets the contract", arguments: ContractScenarios.all.keys.sorted(), setups)
    func referenceMeetsContract(scenario: String, setup: TestingSetup) async throws {
        let problems = try await referenceApp().test(setup) { client in
            try await ContractScenarios.all[scenario]!(ContractClient(client: client))
        }
        #expect(problems.isEmpty, "\(scenario): \(problems.joined(separator: "\n"))")
    }

    /// Which scenario each flaw must break: the proof that the flaw is real and that the
    /// scenario (and the check built from it) can see it.
    static let flawCaughtBy: [String: String] = [
        "ids-from-count": "ids are never reused after a delete",
        "unlocked-ids": "concurrent creates get distinct ids",
        "created-as-200": "create answers 201 with the user",
        "unsorted-list": "list is ordered by id",
        "case-sensitive-emails": "duplicate email is 409 ignoring case",
        "plain-text-errors": "invalid input is 400 with a JSON error",
        "strict-fields": "valid input at the edges is 201",
        "name-length-in-bytes": "valid input at the edges is 201",
        "plus-email-refused": "valid input at the edges is 201",
    ]

    @Test("every flaw breaks its scenario", arguments: Flaws.table.map(\.flaw.name))
    func flawIsCaught(name: String) async throws {
        let flaw = try #require(Flaws.named(name))
        let scenario = try #require(Self.flawCaughtBy[name], "no scenario named for flaw \(name)")
        let problems = try await referenceApp(flaws: flaw).test(.router) { client in
            try await ContractScenarios.all[scenario]!(ContractClient(client: client))
        }
        #expect(!problems.isEmpty, "flaw \(name) went unnoticed by \"\(scenario)\"")
    }

    @Test("every flaw is listed with a scenario")
    func everyFlawHasAScenario() {
        #expect(Set(Flaws.table.map(\.flaw.name)) == Set(Self.flawCaughtBy.keys))
        #expect(Flaws.table.reduce(Flaws()) { $0.union($1.option) }.rawValue == (1 << Flaws.table.count) - 1)
    }
}

@Suite struct UsersAPIPersistenceTests {
    private func temporaryDatabase() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("users-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("users.sqlite")
    }

    @Test("the SQLite store meets the contract", arguments: ContractScenarios.all.keys.sorted())
    func sqliteMeetsContract(scenario: String) async throws {
        let database = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: database.deletingLastPathComponent()) }
        let problems = try await referenceApp(databasePath: database.path).test(.router) { client in
            try await ContractScenarios.all[scenario]!(ContractClient(client: client))
        }
        #expect(problems.isEmpty, "\(scenario): \(problems.joined(separator: "\n"))")
    }

    @Test("users and the id counter survive a restart; deleted ids stay unused")
    func restartKeepsUsersAndCounter() async throws {
        let database = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: database.deletingLastPathComponent()) }
        let first = try await referenceApp(databasePath: database.path).test(.live) { client in
            let contract = ContractClient(client: client)
            var ids: [Int] = []
            for index in 0..<3 { ids.append(try #require(try await contract.create("R\(index)", "r\(index)@example.com").id)) }
            #expect(try await contract.send(.delete, "/api/v1/users/\(ids[2])").status == 204)
            return ids
        }
        try await referenceApp(databasePath: database.path).test(.live) { client in
            let contract = ContractClient(client: client)
            let list = try await contract.send(.get, "/api/v1/users")
            let listed = ((list.object?["users"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
            #expect(listed == Array(first.prefix(2)), "after a restart: \(list)")
            let next = try await contract.create("R3", "r3@example.com")
            #expect(next.status == 201)
            #expect((next.id ?? 0) > first.max()!, "the deleted id \(first[2]) must not come back after a restart: \(next)")
            let duplicate = try await contract.create("R0 again", "R0@EXAMPLE.com")
            #expect(duplicate.status == 409, "emails stay unique across a restart: \(duplicate)")
        }
    }

    @Test("start and stop report the bound port and shut down")
    func startStop() async throws {
        var configuration = UsersAPIServer.Configuration(jwtSecret: ContractScenarios.secret)
        configuration.logLevel = .critical
        let server = try await UsersAPIServer.start(configuration)
        #expect(server.port > 0)
        try await server.stop()
    }
}
