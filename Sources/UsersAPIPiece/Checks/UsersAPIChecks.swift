import Foundation
import Grading

extension UsersAPI {
    public static let suiteID = "users-api"

    /// Every stage the users-API exercises draw on, by id (each exercise's manifest lists the
    /// ones it uses, in order).
    static let stages: [String: [Check]] = [
        "hello-listen": HelloChecks.listen,
        "hello-json": HelloChecks.json,
        "hello-routes": HelloChecks.routes,
        "list": CRUDChecks.list,
        "create": CRUDChecks.create,
        "get": CRUDChecks.get + [RoutingChecks.unknownPath],
        "update-delete": CRUDChecks.updateDelete + [RoutingChecks.wrongMethod],
        "concurrency": ConcurrencyChecks.checks,
        "auth-required": AuthChecks.required,
        "auth-valid": AuthChecks.valid,
        "auth-forged": AuthChecks.forgedTokens,
        "persist-restart": [PersistChecks.dataFile] + PersistChecks.restart,
        "persist-crash": PersistChecks.crash,
        "persist-ids": PersistChecks.ids,
        "healthz": GracefulChecks.healthz,
        "drain": GracefulChecks.drain,
        "exit-idle": GracefulChecks.exitIdle,
        "aside-hits": CacheAsideChecks.hits,
        "aside-invalidate": CacheAsideChecks.invalidate,
        "aside-race": CacheAsideChecks.race,
        "aside-ttl": CacheAsideChecks.ttl,
        "aside-down": CacheAsideChecks.down,
    ]

    /// The checks of the users-API exercises. `course verify` also grades the reference
    /// (every stage but hello-users', whose `/users` it does not serve, and cache-aside's,
    /// whose cache it does not use) and each of its flaws.
    static let suite = CheckSuite(id: suiteID, stages: stages,
                                  reference: CheckSuite.Reference(.service(pieceID), stages: Set(stages.keys.filter { !$0.hasPrefix("hello-") && !$0.hasPrefix("aside-") })),
                                  mutants: Flaws.table.map(\.flaw).mutants(service: pieceID))
}
