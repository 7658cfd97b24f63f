import GRDB

/// The store of `course serve users-api --db PATH`: users survive a restart. The id column
/// is `INTEGER PRIMARY KEY AUTOINCREMENT`, so SQLite keeps the highest id ever used in
/// `sqlite_sequence`, in the same file and transaction as the rows: an id is never handed
/// out again, after a delete or a restart. Emails are unique through the `emailKey` column.
public final class SQLiteUserStore: UserStore {
    private let database: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public convenience init(path: String) throws {
        try self.init(database: DatabaseQueue(path: path))
    }

    public init(database: any DatabaseWriter) throws {
        self.database = database
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("createUser") { db in
            try db.create(table: UserRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                table.column("email", .text).notNull()
                table.column("emailKey", .text).notNull().unique()
            }
        }
        return migrator
    }

    public func list() async throws -> [User] {
        try await database.read { db in
            try UserRecord.order(UserRecord.Columns.id).fetchAll(db).map(\.user)
        }
    }

    public func create(_ input: UserInput) async throws -> User {
        try await database.write { db in
            try Self.requireFreeEmail(input.email, except: nil, db)
            var record = UserRecord(input: input)
            try record.insert(db)
            return record.user
        }
    }

    public func user(id: Int) async throws -> User? {
        try await database.read { db in try UserRecord.fetchOne(db, key: id)?.user }
    }

    public func update(id: Int, with input: UserInput) async throws -> User {
        try await database.write { db in
            guard try UserRecord.exists(db, key: id) else { throw UserStoreError.notFound }
            try Self.requireFreeEmail(input.email, except: id, db)
            var record = UserRecord(input: input)
            record.id = id
            try record.update(db)
            return record.user
        }
    }

    public func delete(id: Int) async throws -> Bool {
        try await database.write { db in try UserRecord.deleteOne(db, key: id) }
    }

    private static func requireFreeEmail(_ email: String, except id: Int?, _ db: Database) throws {
        let owner = try UserRecord.filter(UserRecord.Columns.emailKey == UserInput.emailKey(email)).fetchOne(db)
        if let owner, owner.id != id { throw UserStoreError.duplicateEmail }
    }
}

/// A row of the `user` table.
struct UserRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "user"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let emailKey = Column(CodingKeys.emailKey)
    }

    var id: Int?
    var name: String
    var email: String
    var emailKey: String

    init(input: UserInput) {
        name = input.name
        email = input.email
        emailKey = UserInput.emailKey(input.email)
    }

    var user: User { User(id: id ?? 0, name: name, email: email) }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = Int(inserted.rowID)
    }
}
