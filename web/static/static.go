// Package static embeds the site's CSS, JavaScript and vendored libraries.
package static

import "embed"

// FS holds the files served under /static/.
//
//go:embed css
var FS embed.FS
