// Command go-proxy turns the Go source that Debian's golang-*-dev packages install under
// /usr/share/gocode/src into an offline Go module proxy: a folder that Go reads through
// GOPROXY=file:///that/folder, laid out as the GOPROXY protocol says (per module
// `@v/list`, and per version `.info`, `.mod` and `.zip`).
//
// Debian installs GOPATH trees, not modules, so this program decides, for each tree:
//   - the module path: from its go.mod, or (without one) from the import path's
//     repository root (github.com/owner/repo, gopkg.in/name.vN, golang.org/x/name ...);
//   - the version: the Debian package's version turned into a semantic version
//     (1:0.7.0+dfsg-1 -> v0.7.0, 0.0~git20200413.b5235f6-3 -> a pseudo-version);
//   - its requirements: recomputed from the imports the module's files actually have,
//     each pinned to the one version this proxy serves, so `go mod tidy` never asks for a
//     version Debian does not have (gin 1.8.1's own go.mod wants validator 10.10; Debian has
//     10.4);
//   - its files: files importing a package no module here provides are left out (gin's
//     go_json.go behind a build tag, tests needing absent packages), since `go mod tidy`
//     considers every build tag and would otherwise fail.
//
// The output is deterministic: the same Debian packages give byte-identical zips, so a
// learner's go.sum stays valid when setup rebuilds the proxy. modules.txt lists every
// module with its version and its go.sum hash (h1:).
//
// Build and run it in GOPATH mode (it imports golang.org/x/mod from Debian):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run ./scripts/go-proxy -src /usr/share/gocode/src -out DIR
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// A module found in the source tree.
type mod struct {
	Path    string // module path, e.g. github.com/labstack/echo/v4
	Dir     string // import-path folder under src, e.g. github.com/labstack/echo
	Version string
	Package string // the Debian package it came from
	GoLine  string // the go directive of its own go.mod ("" if none)
	HasMod  bool   // whether Debian ships a go.mod for it

	files    []string            // kept files, slash paths relative to Dir
	imports  map[string][]string // kept .go file -> the imports it has
	requires []string            // module paths it needs, transitively
}

func main() {
	src := flag.String("src", "/usr/share/gocode/src", "GOPATH source tree to read")
	out := flag.String("out", "", "folder to write the proxy into (must not exist)")
	flag.Parse()
	if *out == "" {
		fail("-out is required")
	}
	if _, err := os.Lstat(*out); err == nil {
		fail(*out + " exists; the proxy is written into a new folder")
	}
	if err := run(*src, *out); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "go-proxy:", msg)
	os.Exit(1)
}

func run(src, out string) error {
	std, err := standardPackages()
	if err != nil {
		return err
	}
	owners, err := readDpkgOwners("/var/lib/dpkg/info", filepath.Clean(src))
	if err != nil {
		return err
	}
	versions, err := readDpkgVersions()
	if err != nil {
		return err
	}
	goDirs, err := packageDirs(src)
	if err != nil {
		return err
	}
	mods, err := findModules(src, goDirs, owners, versions)
	if err != nil {
		return err
	}
	for _, m := range mods {
		if err := m.scan(src, mods); err != nil {
			return fmt.Errorf("%s: %v", m.Path, err)
		}
	}
	provided := providedPackages(src, mods, std)
	for _, m := range mods {
		m.dropUnresolvable(std, provided)
	}
	for _, m := range mods {
		m.requires = closure(m, mods, std)
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var index bytes.Buffer
	for _, m := range sortedModules(mods) {
		sum, err := m.write(src, out, mods)
		if err != nil {
			return fmt.Errorf("%s@%s: %v", m.Path, m.Version, err)
		}
		fmt.Fprintf(&index, "%s %s %s\n", m.Path, m.Version, sum)
	}
	return os.WriteFile(filepath.Join(out, "modules.txt"), index.Bytes(), 0o644)
}

// standardPackages lists the standard library's import paths (plus "C" for cgo).
func standardPackages() (map[string]bool, error) {
	cmd := exec.Command("go", "list", "std")
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
	output, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list std: %v", err)
	}
	std := map[string]bool{"C": true}
	for _, line := range strings.Fields(string(output)) {
		std[line] = true
	}
	return std, nil
}

// readDpkgOwners maps every file Debian installed under src to its package, from dpkg's
// file lists (what `dpkg -S` reads, without one process per file).
func readDpkgOwners(infoDir, src string) (map[string]string, error) {
	lists, err := filepath.Glob(filepath.Join(infoDir, "*.list"))
	if err != nil {
		return nil, err
	}
	owners := map[string]string{}
	prefix := src + "/"
	for _, list := range lists {
		pkg := strings.TrimSuffix(filepath.Base(list), ".list")
		pkg = strings.SplitN(pkg, ":", 2)[0] // libfoo:amd64
		f, err := os.Open(list)
		if err != nil {
			return nil, err
		}
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			if line := scanner.Text(); strings.HasPrefix(line, prefix) && strings.HasSuffix(line, ".go") {
				owners[strings.TrimPrefix(line, prefix)] = pkg
			}
		}
		f.Close()
	}
	return owners, nil
}

func readDpkgVersions() (map[string]string, error) {
	output, err := exec.Command("dpkg-query", "-W", "-f", "${Package} ${Version}\n").Output()
	if err != nil {
		return nil, fmt.Errorf("dpkg-query: %v", err)
	}
	versions := map[string]string{}
	for _, line := range strings.Split(string(output), "\n") {
		if fields := strings.Fields(line); len(fields) == 2 {
			versions[fields[0]] = fields[1]
		}
	}
	return versions, nil
}

// packageDirs lists every folder (import path) holding .go files that Go would build:
// not inside testdata, vendor, or a folder whose name starts with "." or "_", and not
// through a link (Debian links a few old code.google.com paths to golang.org/x ones).
func packageDirs(src string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && p != src && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && strings.HasSuffix(name, ".go") {
			rel, _ := filepath.Rel(src, filepath.Dir(p))
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	dirs := make([]string, 0, len(seen))
	for dir := range seen {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	return dirs, err
}

// findModules decides the modules: every folder with a go.mod, then a repository root for
// every package folder no go.mod covers.
func findModules(src string, goDirs []string, owners, versions map[string]string) (map[string]*mod, error) {
	byDir := map[string]*mod{}
	for _, dir := range goDirs {
		for d := dir; d != "." && d != ""; d = path.Dir(d) {
			if byDir[d] != nil {
				break
			}
			data, err := os.ReadFile(filepath.Join(src, d, "go.mod"))
			if err != nil {
				continue
			}
			file, err := modfile.ParseLax(filepath.Join(src, d, "go.mod"), data, nil)
			if err != nil || file.Module == nil {
				return nil, fmt.Errorf("%s/go.mod: %v", d, err)
			}
			m := &mod{Path: file.Module.Mod.Path, Dir: d, HasMod: true}
			if file.Go != nil {
				m.GoLine = file.Go.Version
			}
			byDir[d] = m
		}
	}
	for _, dir := range goDirs {
		if coveringModule(byDir, dir) != nil {
			continue
		}
		root := repositoryRoot(dir)
		if byDir[root] == nil {
			byDir[root] = &mod{Path: root, Dir: root}
		}
	}

	mods := map[string]*mod{}
	for _, m := range byDir {
		pkg := owningPackage(m.Dir, byDir, owners)
		if pkg == "" {
			fmt.Fprintf(os.Stderr, "go-proxy: skipping %s: no Debian package owns it\n", m.Path)
			continue
		}
		version, err := semanticVersion(versions[pkg])
		if err != nil {
			fmt.Fprintf(os.Stderr, "go-proxy: skipping %s: %s %s: %v\n", m.Path, pkg, versions[pkg], err)
			continue
		}
		if major := semver.Major(version); major != "v0" && major != "v1" && !strings.HasPrefix(m.Path, "gopkg.in/") {
			if _, suffix, _ := module.SplitPathVersion(m.Path); suffix == "" {
				if m.HasMod {
					fmt.Fprintf(os.Stderr, "go-proxy: skipping %s: version %s needs a /%s path\n", m.Path, version, major)
					continue
				}
				version += "+incompatible"
			}
		}
		if err := module.Check(m.Path, version); err != nil {
			fmt.Fprintf(os.Stderr, "go-proxy: skipping %s@%s: %v\n", m.Path, version, err)
			continue
		}
		m.Version, m.Package = version, pkg
		mods[m.Dir] = m
	}
	return mods, nil
}

func coveringModule(byDir map[string]*mod, dir string) *mod {
	for d := dir; d != "." && d != ""; d = path.Dir(d) {
		if m := byDir[d]; m != nil {
			return m
		}
	}
	return nil
}

// repositoryRoot guesses the module path of a tree without a go.mod the way `go get` finds
// a repository: the hosts' own conventions.
func repositoryRoot(dir string) string {
	parts := strings.Split(dir, "/")
	keep := 3
	switch parts[0] {
	case "gopkg.in":
		// gopkg.in/yaml.v2, gopkg.in/owner/name.v1
		if len(parts) > 1 && strings.Contains(parts[1], ".v") {
			keep = 2
		}
	case "google.golang.org", "cloud.google.com":
		keep = 2
	}
	if len(parts) < keep {
		return dir
	}
	return strings.Join(parts[:keep], "/")
}

// owningPackage is the Debian package owning most of the module's .go files.
func owningPackage(dir string, byDir map[string]*mod, owners map[string]string) string {
	count := map[string]int{}
	for file, pkg := range owners {
		if strings.HasPrefix(file, dir+"/") && coveringModule(byDir, path.Dir(file)) == byDir[dir] {
			count[pkg]++
		}
	}
	best := ""
	for pkg, n := range count {
		if best == "" || n > count[best] || (n == count[best] && pkg < best) {
			best = pkg
		}
	}
	return best
}

var gitSnapshot = regexp.MustCompile(`^0\.0~git(\d{8})(?:\.\d+)?\.([0-9a-f]{7,40})$`)

// semanticVersion turns a Debian version into the module version it packages:
// epoch, Debian revision and repack suffixes go (1:0.7.0+dfsg-1 -> v0.7.0); a git snapshot
// becomes a pseudo-version (0.0~git20200413.b5235f6 -> v0.0.0-20200413000000-b5235f6);
// 1.2.3~rc1 -> v1.2.3-rc1.
func semanticVersion(debian string) (string, error) {
	if debian == "" {
		return "", errors.New("no installed version")
	}
	v := debian
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.LastIndex(v, "-"); i >= 0 {
		v = v[:i]
	}
	if i := strings.Index(v, "+"); i >= 0 {
		v = v[:i]
	}
	if m := gitSnapshot.FindStringSubmatch(v); m != nil {
		return "v0.0.0-" + m[1] + "000000-" + m[2], nil
	}
	pre := ""
	if i := strings.Index(v, "~"); i >= 0 {
		pre = v[i+1:]
		v = v[:i]
		if strings.HasPrefix(pre, "ds") || strings.HasPrefix(pre, "dfsg") {
			pre = "" // a repack marker, not a pre-release
		}
	}
	nums := strings.Split(v, ".")
	for len(nums) < 3 {
		nums = append(nums, "0")
	}
	if len(nums) > 3 {
		return "", fmt.Errorf("not a semantic version")
	}
	for _, n := range nums {
		if _, err := strconv.Atoi(n); err != nil {
			return "", fmt.Errorf("not a semantic version")
		}
	}
	version := "v" + strings.Join(nums, ".")
	if pre != "" {
		version += "-" + pre
	}
	if !semver.IsValid(version) {
		return "", fmt.Errorf("not a semantic version")
	}
	return version, nil
}

// scan lists the module's files (leaving out nested modules, which are modules of their
// own) and reads each .go file's imports.
func (m *mod) scan(src string, mods map[string]*mod) error {
	root := filepath.Join(src, m.Dir)
	m.imports = map[string][]string{}
	fset := token.NewFileSet()
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != root {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module (or a test module inside testdata)
				}
			}
			return nil
		}
		if !d.Type().IsRegular() || rel == "go.sum" {
			return nil
		}
		m.files = append(m.files, rel)
		if strings.HasSuffix(rel, ".go") && !ignoredByGo(rel) {
			file, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
			if err != nil {
				return nil // unparsable files are kept; Go reports them if anyone builds them
			}
			imports := []string{}
			for _, spec := range file.Imports {
				if s, err := strconv.Unquote(spec.Path.Value); err == nil {
					imports = append(imports, s)
				}
			}
			m.imports[rel] = imports
		}
		return nil
	})
}

// ignoredByGo: files the go command never builds (testdata, vendor, _ and . folders).
func ignoredByGo(rel string) bool {
	for _, part := range strings.Split(path.Dir(rel), "/") {
		if part == "testdata" || part == "vendor" || strings.HasPrefix(part, "_") || (strings.HasPrefix(part, ".") && part != ".") {
			return true
		}
	}
	return false
}

// providedPackages: every import path some module here can build, mapped to its module.
func providedPackages(src string, mods map[string]*mod, std map[string]bool) map[string]*mod {
	provided := map[string]*mod{}
	for _, m := range mods {
		for file := range m.imports {
			pkg := m.Path
			if dir := path.Dir(file); dir != "." {
				pkg = m.Path + "/" + dir
			}
			provided[pkg] = m
		}
	}
	return provided
}

// dropUnresolvable leaves out .go files that import a package nothing here provides.
func (m *mod) dropUnresolvable(std map[string]bool, provided map[string]*mod) {
	drop := map[string]bool{}
	for file, imports := range m.imports {
		for _, imp := range imports {
			if !std[imp] && provided[imp] == nil {
				drop[file] = true
				break
			}
		}
	}
	if len(drop) == 0 {
		return
	}
	kept := m.files[:0]
	for _, file := range m.files {
		if !drop[file] {
			kept = append(kept, file)
		}
	}
	m.files = kept
	for file := range drop {
		delete(m.imports, file)
	}
}

// closure: every other module the module's packages (and their tests) need, directly or
// through other modules, as a go 1.17+ go.mod lists them.
func closure(m *mod, mods map[string]*mod, std map[string]bool) []string {
	byPath := map[string]*mod{}
	for _, other := range mods {
		byPath[other.Path] = other
	}
	direct := func(x *mod) []*mod {
		var needs []*mod
		seen := map[string]bool{}
		for _, imports := range x.imports {
			for _, imp := range imports {
				if std[imp] {
					continue
				}
				if owner := longestPrefix(imp, byPath); owner != nil && owner != x && !seen[owner.Path] {
					seen[owner.Path] = true
					needs = append(needs, owner)
				}
			}
		}
		return needs
	}
	seen := map[string]bool{m.Path: true}
	queue := []*mod{m}
	var all []string
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, need := range direct(x) {
			if !seen[need.Path] {
				seen[need.Path] = true
				all = append(all, need.Path)
				queue = append(queue, need)
			}
		}
	}
	sort.Strings(all)
	return all
}

func longestPrefix(imp string, byPath map[string]*mod) *mod {
	for p := imp; p != "." && p != ""; p = path.Dir(p) {
		if m := byPath[p]; m != nil {
			return m
		}
	}
	return nil
}

// goMod is the go.mod this proxy serves for the module (and puts in its zip): its own
// module and go lines, and requirements pinned to the versions served here.
func (m *mod) goMod(mods map[string]*mod) []byte {
	byPath := map[string]*mod{}
	for _, other := range mods {
		byPath[other.Path] = other
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "module %s\n", modfile.AutoQuote(m.Path))
	if m.GoLine != "" {
		fmt.Fprintf(&b, "\ngo %s\n", m.GoLine)
	}
	if len(m.requires) > 0 {
		b.WriteString("\nrequire (\n")
		for _, p := range m.requires {
			fmt.Fprintf(&b, "\t%s %s\n", modfile.AutoQuote(p), byPath[p].Version)
		}
		b.WriteString(")\n")
	}
	return b.Bytes()
}

// write puts the module's list, info, mod and zip files in the proxy; returns its h1: hash.
func (m *mod) write(src, out string, mods map[string]*mod) (string, error) {
	escaped, err := module.EscapePath(m.Path)
	if err != nil {
		return "", err
	}
	version, err := module.EscapeVersion(m.Version)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	goMod := m.goMod(mods)
	files := []modzip.File{memFile{name: "go.mod", data: goMod}}
	for _, rel := range m.files {
		if rel == "go.mod" {
			continue
		}
		full := filepath.Join(src, m.Dir, filepath.FromSlash(rel))
		info, err := os.Lstat(full)
		if err != nil {
			return "", err
		}
		files = append(files, diskFile{name: rel, path: full, info: info})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path() < files[j].Path() })
	checked, err := modzip.CheckFiles(files)
	if err != nil {
		return "", err
	}
	valid := map[string]bool{}
	for _, name := range checked.Valid {
		valid[name] = true
	}
	kept := files[:0]
	for _, f := range files {
		if valid[f.Path()] {
			kept = append(kept, f)
		}
	}
	zipPath := filepath.Join(dir, version+".zip")
	zf, err := os.Create(zipPath)
	if err != nil {
		return "", err
	}
	if err := modzip.Create(zf, module.Version{Path: m.Path, Version: m.Version}, kept); err != nil {
		zf.Close()
		return "", err
	}
	if err := zf.Close(); err != nil {
		return "", err
	}
	info := fmt.Sprintf("{\"Version\":%q,\"Time\":%q}\n", m.Version, versionTime(m.Version))
	for name, data := range map[string][]byte{
		version + ".mod":  goMod,
		version + ".info": []byte(info),
		"list":            []byte(m.Version + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", err
		}
	}
	return dirhash.HashZip(zipPath, dirhash.Hash1)
}

// versionTime: the commit date of a pseudo-version, else a fixed date (the output must not
// depend on when it was made).
func versionTime(version string) string {
	if module.IsPseudoVersion(version) {
		if t, err := module.PseudoVersionTime(version); err == nil {
			return t.UTC().Format(time.RFC3339)
		}
	}
	return "2023-01-01T00:00:00Z"
}

func sortedModules(mods map[string]*mod) []*mod {
	list := make([]*mod, 0, len(mods))
	for _, m := range mods {
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	return list
}

type memFile struct {
	name string
	data []byte
}

func (f memFile) Path() string                 { return f.name }
func (f memFile) Lstat() (os.FileInfo, error)  { return memInfo{f}, nil }
func (f memFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.data)), nil }

type memInfo struct{ f memFile }

func (i memInfo) Name() string       { return path.Base(i.f.name) }
func (i memInfo) Size() int64        { return int64(len(i.f.data)) }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

type diskFile struct {
	name string
	path string
	info os.FileInfo
}

func (f diskFile) Path() string                 { return f.name }
func (f diskFile) Lstat() (os.FileInfo, error)  { return f.info, nil }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(f.path) }
