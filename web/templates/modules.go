package templates

import (
	"io/fs"
	"sync"

	"strikemap/web/static"
)

// mapModules are the URLs of the map page's modules other than main.js,
// as main.js and the others import them (unversioned: an import names no
// query). The page's head preloads them: without that the browser learns
// of each level of imports only once the level above is parsed, which the
// main thread does between parsing the page and painting it, three round
// trips late.
var mapModules = sync.OnceValue(func() []string {
	names, err := fs.Glob(static.FS, "js/map/*.js")
	if err != nil {
		panic("templates: listing the map's modules: " + err.Error())
	}
	var out []string
	for _, n := range names {
		if n != "js/map/main.js" {
			out = append(out, "/static/"+n)
		}
	}
	return out
})
