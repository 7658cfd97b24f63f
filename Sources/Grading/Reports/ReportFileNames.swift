import CourseEngine
import Foundation

/// The slot of each submission in the reports: the stem of `html/<slot>.html` and
/// `gradescope/<slot>/results.json`, the JUnit suite's name and the CSV's `submission`.
///
/// A submission's identity is its folder, never the learner name in its `course.yaml`: that
/// name is the learner's own text, so a learner could claim another's slot with it. Slots
/// come from the folder's name and nothing else a run holds, so they are the same whatever
/// order the folders are given in, and a re-grade writes the same slot:
/// * a folder name that is already a safe stem (`[A-Za-z0-9._-]`, no leading dot or dash,
///   at most 64 characters, not `index`) is its own slot: `ada` → `ada`;
/// * any other name is reduced to a safe stem and given a suffix computed from the name
///   itself: `José Núñez` → `Jose_Nunez-1a2b3c4d`, so `Jose Nunez` and `José Núñez` cannot
///   meet, and adding or removing another submission never moves it;
/// * two folders whose slots would still be the same, ignoring case (the same name in two
///   parent folders, or `Ada` beside `ada`), both get a suffix computed from their full path.
public enum ReportFileNames {
    /// The longest stem, leaving room for a suffix and an extension within any file system's
    /// 255-byte name limit.
    static let maximumLength = 64

    /// Stems that belong to the reports themselves (`html/index.html` is the class summary).
    static let reserved: Set<String> = ["index"]

    /// One slot per submission path, in the order given.
    public static func slots(for paths: [String]) -> [String] {
        let first = paths.map(slot(forFolderAt:))
        var groups: [String: Set<String>] = [:]
        for (path, slot) in zip(paths, first) { groups[slot.lowercased(), default: []].insert(path) }
        let second = zip(paths, first).map { path, slot in
            (groups[slot.lowercased()]?.count ?? 0) > 1 ? "\(slot)-\(suffix(path))" : slot
        }
        // Only the same path given twice (or a hash collision) is left to tell apart.
        var taken: Set<String> = []
        return second.map { slot in
            var candidate = slot
            var counter = 2
            while taken.contains(candidate.lowercased()) {
                candidate = "\(slot)-\(counter)"
                counter += 1
            }
            taken.insert(candidate.lowercased())
            return candidate
        }
    }

    /// The slots of a run's results (from each result's folder).
    public static func slots(for results: [SubmissionResult]) -> [String] {
        slots(for: results.map(\.path))
    }

    /// The slot a folder has when no other folder of the run has the same one.
    static func slot(forFolderAt path: String) -> String {
        let name = folderName(path)
        let stem = sanitized(name)
        if stem == name && !reserved.contains(stem.lowercased()) { return stem }
        return "\(stem)-\(suffix(name))"
    }

    /// The last component of a submission's path ("subs/ada/" → "ada").
    static func folderName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.isEmpty ? "submission" : name
    }

    /// Eight hex digits of the SHA-256 of `text`: the same on every run and machine.
    static func suffix(_ text: String) -> String {
        String(SHA256.hex(of: Array(text.utf8)).prefix(8))
    }

    /// A safe stem for one name: accents folded, every other character outside the safe set
    /// replaced by `_`, runs of `_` collapsed, no leading or trailing dot, dash or underscore
    /// (hidden files, options).
    static func sanitized(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        for scalar in folded.unicodeScalars {
            let safe = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "-" || scalar == "_")
            if safe {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("_") {
                out += "_"
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "._-"))
        let stem = String(trimmed.prefix(maximumLength)).trimmingCharacters(in: CharacterSet(charactersIn: "._-"))
        return stem.isEmpty ? "submission" : stem
    }
}
