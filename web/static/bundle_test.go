package static

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMapBundleIsCurrent: js/map.js and its source map are what the
// go:generate line in static.go makes of the modules now: run on a copy
// of the modules, esbuild writes the same bytes. It fails after a module
// changed without go generate ./web/static, when the pages would run the
// old code.
func TestMapBundleIsCurrent(t *testing.T) {
	src, err := os.ReadFile("static.go")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "//go:generate go tool esbuild "
	var args []string
	for line := range strings.Lines(string(src)) {
		if strings.HasPrefix(line, prefix) {
			args = strings.Fields(strings.TrimPrefix(line, prefix))
		}
	}
	if len(args) == 0 {
		t.Fatal("static.go has no go:generate line running esbuild")
	}
	// The tool's binary, built by the go command from go.mod's tool line.
	out, err := exec.Command("go", "tool", "-n", "esbuild").Output()
	if err != nil {
		t.Fatalf("go tool -n esbuild: %v", err)
	}
	esbuild := strings.TrimSpace(string(out))

	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "js", "map"), 0o755); err != nil {
		t.Fatal(err)
	}
	modules, err := filepath.Glob(filepath.Join("js", "map", "*.js"))
	if err != nil || len(modules) == 0 {
		t.Fatalf("no modules in js/map: %v", err)
	}
	for _, m := range modules {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, m), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(esbuild, args...)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("esbuild %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	for _, name := range []string{"js/map.js", "js/map.js.map"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("web/static/%s is not what the modules make now: run go generate ./web/static and commit it", name)
		}
	}
}
