package templates

import (
	"context"

	"strikemap/internal/catalog"
)

// msg is the catalog's message key for the request being rendered, with
// its placeholders filled from args (catalog.T). Every user-visible string
// of a template comes from here.
func msg(ctx context.Context, key string, args ...catalog.Args) string {
	return catalog.FromContext(ctx).T(key, args...)
}

// count writes a count with the catalog's digit grouping: 12,345.
func count(ctx context.Context, n int) string { return catalog.FromContext(ctx).Number(n) }

// lang and dir are the html element's attributes for the catalog in use.
func lang(ctx context.Context) string { return catalog.FromContext(ctx).Locale }
func dir(ctx context.Context) string  { return catalog.FromContext(ctx).Dir }

// withMessages gives the page's script the catalog the page was rendered
// with, so the script holds no strings of its own.
func withMessages(ctx context.Context, cfg MapConfig) MapConfig {
	cfg.Messages = catalog.FromContext(ctx)
	return cfg
}
