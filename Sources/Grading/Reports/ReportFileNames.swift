import Foundation

/// File names for per-learner report files (`html/<learner>.html`,
/// `gradescope/<learner>/results.json`).
///
/// A learner name comes from a folder name or a manifest, so it can hold `/`, `..`, spaces,
/// accents or nothing at all. Names are reduced to `[A-Za-z0-9._-]`, and made unique without
/// regard to case (two learners must never overwrite each other's page, also on a
/// case-insensitive file system), in the order given, so the same class always gets the same
/// names.
public enum ReportFileNames {
    /// The longest stem, leaving room for a suffix and an extension within any file system's
    /// 255-byte name limit.
    static let maximumLength = 64

    /// One stem per learner, in order, unique and distinct from `reserved` (`index` would
    /// overwrite the class summary page).
    public static func stems(for learners: [String], reserved: Set<String> = ["index"]) -> [String] {
        var taken = Set(reserved.map { $0.lowercased() })
        return learners.map { learner in
            let base = sanitized(learner)
            var candidate = base
            var counter = 2
            while taken.contains(candidate.lowercased()) {
                candidate = "\(base)-\(counter)"
                counter += 1
            }
            taken.insert(candidate.lowercased())
            return candidate
        }
    }

    /// A safe stem for one name: accents folded, every other character outside the safe set
    /// replaced by `_`, runs of `_` collapsed, no leading dot or dash (hidden files, options).
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
        return stem.isEmpty ? "learner" : stem
    }
}
