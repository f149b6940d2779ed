package catalog

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"strikemap/web/messages"
)

// uses are the ways code asks the catalog for a message: a literal key, or
// a literal prefix the code completes ('unit.' + h.unit), which uses every
// key starting with it.
var uses = []struct {
	root, ext string
	call      *regexp.Regexp
}{
	{"../../web/templates", ".templ", regexp.MustCompile(`\bmsg\(ctx, "([^"]+)"(\s*\+)?`)},
	{"../../web/templates", ".go", regexp.MustCompile(`\bmsg\(ctx, "([^"]+)"(\s*\+)?`)},
	{"../../internal", ".go", regexp.MustCompile(`\.T\("([^"]+)"(\s*\+)?`)},
	{"../../web/static/js", ".js", regexp.MustCompile(`(?:^|[^.\w])(?:t|has)\('([^']+)'(\s*\+)?`)},
	// t(cond ? 'a' : 'b'): every literal after the ? is a key.
	{"../../web/static/js", ".js", regexp.MustCompile(`(?:^|[^.\w])(?:t|has)\([^'(),]*\?([^(),]*)()[,)]`)},
}

var jsString = regexp.MustCompile(`'([^']+)'`)

// TestEveryKeyUsedExistsAndEveryKeyIsUsed reads the templates, the Go code
// and the page's scripts for catalog calls: a key they use that en.json
// lacks would show as ⟦key⟧ (or throw, in the script); a key nothing uses
// is a string a translator would translate for nothing.
func TestEveryKeyUsedExistsAndEveryKeyIsUsed(t *testing.T) {
	en, err := Load(messages.FS, "en.json")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	var prefixes []string
	for _, u := range uses {
		err := filepath.WalkDir(u.root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, u.ext) || strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "vendor") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range u.call.FindAllStringSubmatch(string(b), -1) {
				if m[2] != "" {
					prefixes = append(prefixes, m[1])
					continue
				}
				keys := []string{m[1]}
				if strings.Contains(m[1], "'") {
					keys = nil
					for _, s := range jsString.FindAllStringSubmatch(m[1], -1) {
						keys = append(keys, s[1])
					}
				}
				for _, k := range keys {
					used[k] = true
					if _, ok := en.Messages[k]; !ok {
						t.Errorf("%s uses %q, which web/messages/en.json lacks", path, k)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the patterns no longer match the code's calls", len(used))
	}
	for _, p := range prefixes {
		if !anyKey(en.Messages, func(k string) bool { return strings.HasPrefix(k, p) }) {
			t.Errorf("the code completes the prefix %q, but no key starts with it", p)
		}
	}
	for k := range en.Messages {
		if !used[k] && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(k, p) }) {
			t.Errorf("key %q of en.json is used by no template, handler or script", k)
		}
	}
}

func anyKey(m map[string]string, ok func(string) bool) bool {
	for k := range m {
		if ok(k) {
			return true
		}
	}
	return false
}

// TestTranslationsHaveOnlyEnglishKeys: a key only a translation has is a
// typo or a string English lost.
func TestTranslationsHaveOnlyEnglishKeys(t *testing.T) {
	en, err := Load(messages.FS, "en.json")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(messages.FS, "*.json")
	for _, name := range names {
		c, err := Load(messages.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		for k := range c.Messages {
			if _, ok := en.Messages[k]; !ok {
				t.Errorf("%s has %q, which en.json lacks", name, k)
			}
		}
	}
}
