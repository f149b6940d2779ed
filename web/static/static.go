// Package static embeds the site's CSS, JavaScript and vendored libraries.
package static

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
