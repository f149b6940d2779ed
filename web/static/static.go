// Package static embeds the site's CSS, JavaScript and vendored libraries.
//
// The map page runs js/map.js: its modules (js/map/*.js, main.js first)
// bundled and minified by esbuild, with a source map naming the modules,
// which are served too. Edit the modules, then run go generate ./web/static
// and commit js/map.js and js/map.js.map; .ci/run fails when they are stale.
// One file, at a versioned URL cached for a year, in place of 21 modules
// that a browser had to revalidate at every visit (their imports name no
// version): a phone's warm load at 1M took 2.59 s instead of 2.75 s, and
// 2.61 s instead of 3.06 s on a slow network (docs/performance.md).
package static

//go:generate go tool esbuild js/map/main.js --bundle --minify --format=esm --target=es2020 --sourcemap --sources-content=false --log-level=warning --outfile=js/map.js

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

// FS holds the files served under /static/.
//
//go:embed css js img vendor
var FS embed.FS

// Version returns a short content hash of every file in FS: it changes with
// any static file, so URLs carrying it never hit a stale browser cache.
func Version() string {
	h := sha256.New()
	err := fs.WalkDir(FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := FS.ReadFile(path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	if err != nil {
		panic("static: reading the embedded files: " + err.Error())
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
