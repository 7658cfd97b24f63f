import CourseEngine
import Foundation
import Grading

/// The module cache the learner's checks share (`.cache/go-mod-DIGEST` in the workspace):
/// one per proxy content, so a proxy rebuilt from newer Debian packages never meets files
/// extracted from the old one; caches of older proxies are removed when a new one is used.
enum GoModuleCaches {
    static func current(for proxy: GoModuleProxy, in workspace: Workspace) -> URL {
        let caches = workspace.url.appendingPathComponent(".cache")
        let name = "go-mod-\(proxy.digest)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: caches.path)) ?? []
        for old in names where old.hasPrefix("go-mod-") && old != name {
            // Written with -modcacherw, so removable; a failure only leaves disk space used.
            try? FileManager.default.removeItem(at: caches.appendingPathComponent(old))
        }
        return caches.appendingPathComponent(name)
    }
}
