// Package messages embeds the catalogs of every user-visible string, one
// JSON file per language (en.json is the reference), read by
// internal/catalog and, through the map page's config, by its script.
package messages

import "embed"

// FS holds the catalogs: LANG.json, each {"locale", "dir", "messages"}.
//
//go:embed *.json
var FS embed.FS
