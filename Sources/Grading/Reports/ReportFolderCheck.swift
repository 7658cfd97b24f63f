import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ReportWriter {
    /// Proves, before anything is graded, that the reports of `formats` can be written: the
    /// report folder is made when it is missing, must be a folder, and must take a new file
    /// and folder; each file or folder a format replaces must be of the right kind
    /// (`junit.xml` a file, `html` a folder, …) and, for a folder, writable (it is swapped
    /// whole). Throws a one-line `CourseError` (exit status 2) naming the path and what is
    /// wrong, so a class is never graded for reports that cannot be written.
    public func checkWritable(formats: [ReportFormat]) throws {
        try ReportFolderError.makeFolders(directory)
        try ReportFolderError.probe(directory)
        for format in Set(formats).sorted() {
            let url = directory.appendingPathComponent(format.reportName)
            var info = stat()
            guard lstat(url.path, &info) == 0 else {
                if errno == ENOENT { continue }
                throw ReportFolderError.cannot("check \(format.reportName)", url.path, errno)
            }
            let kind = info.st_mode & S_IFMT
            let what = format.isFolder ? "the \(format.rawValue) report folder" : "the \(format.rawValue) report file"
            if kind == S_IFLNK {
                throw CourseError("\(url.path) is a symbolic link where \(what) goes (the reports would replace the link, not go where it points)")
            }
            if format.isFolder {
                guard kind == S_IFDIR else { throw CourseError("\(url.path) is a file where \(what) goes") }
                guard access(url.path, W_OK) == 0 else {
                    throw CourseError("\(what) \(url.path) cannot be replaced: \(ReportFolderError.phrase(errno))")
                }
            } else {
                guard kind != S_IFDIR else { throw CourseError("\(url.path) is a folder where \(what) goes") }
                guard kind == S_IFREG else { throw CourseError("\(url.path) is not a regular file, where \(what) goes") }
            }
        }
    }
}

/// File-system failures around the report folder, as sentences.
enum ReportFolderError {
    /// "cannot <action>: <reason>" about `path`.
    static func cannot(_ action: String, _ path: String, _ code: Int32) -> CourseError {
        CourseError("cannot \(action) (\(path)): \(phrase(code))")
    }

    /// What an `errno` means for someone writing reports.
    static func phrase(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "the file system is read-only"
        case ENOSPC: return "no space left on the disk"
        case EDQUOT: return "the disk quota is used up"
        case ENOTDIR: return "a file is where a folder should be"
        case EISDIR: return "a folder is where a file should be"
        case ENAMETOOLONG: return "the name is too long"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// Makes `directory` and the folders above it that are missing; a file in the way is
    /// named.
    static func makeFolders(_ directory: URL) throws {
        var path = ""
        for component in directory.path.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) == 0 { continue }
            let code = errno
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw CourseError("cannot make the report folder \(directory.path): \(phrase(code))")
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw CourseError(path == directory.path ? "the report folder \(path) is a file, not a folder"
                                  : "cannot make the report folder \(directory.path): \(path) is a file, not a folder")
            }
        }
    }

    /// Makes and removes a folder with a file in it, which is what writing the reports does.
    static func probe(_ directory: URL) throws {
        let folder = directory.appendingPathComponent(".course-probe-\(getpid())-\(UUID().uuidString.prefix(8))").path
        guard mkdir(folder, 0o755) == 0 else {
            throw CourseError("the report folder \(directory.path) is not writable: \(phrase(errno))")
        }
        defer { rmdir(folder) }
        let file = folder + "/probe"
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CourseError("the report folder \(directory.path) is not writable: \(phrase(errno))") }
        close(fd)
        unlink(file)
    }
}
