import Foundation

/// The values the grader gives the standard variables an exercise's manifest lists under
/// `environment` (DESIGN.md: `PORT`, `DATABASE_PATH`, `JWT_SECRET`, …). Checks read them
/// from `CheckContext.variables`: a check that mints tokens signs them with the secret the
/// program was given. `PORT` is chosen per start by the shared server.
enum ProgramVariables {
    static func values(for exercise: ExerciseManifest, seed: UInt64, dataFile: (String) throws -> String) rethrows -> [String: String] {
        var values: [String: String] = [:]
        for name in exercise.environment {
            switch name {
            case "JWT_SECRET":
                // From the seed, so a run replays; never a constant a program could hard-code.
                var random = SeededRandom(seed: seed, label: "JWT_SECRET")
                values[name] = (0..<4).map { _ in String(format: "%016llx", random.next()) }.joined()
            case "DATABASE_PATH":
                values[name] = try dataFile("data.db")
            default:
                break
            }
        }
        return values
    }
}
