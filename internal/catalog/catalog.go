// Package catalog holds every user-visible string of the pages, one JSON
// catalog per language (web/messages/LANG.json), with the placeholder syntax
// of the map page's script (web/static/js/map/messages.js): {name} is
// replaced by the argument called name, numbers with the locale's digit
// grouping. The templates read the catalog a request's context carries;
// the map page passes it on to its script in the page's config.
package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"

	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"strikemap/web/messages"
)

// Catalog is one language's messages.
type Catalog struct {
	Locale   string            `json:"locale"` // BCP 47 tag: "en", "ar-IQ", "ckb"
	Dir      string            `json:"dir"`    // "ltr" or "rtl"
	Messages map[string]string `json:"messages"`
	// Numbers is how Number writes a whole number, for the map page's
	// script to write counts the same way without Intl.NumberFormat,
	// whose first use loads the engine's locale data (55 ms of a 4×
	// throttled load's profile: docs/performance.md).
	Numbers NumberFormat `json:"numbers"`
	printer *message.Printer
}

// NumberFormat describes the locale's writing of whole numbers: its ten
// digits, and its grouping of them from the right, Primary digits, then
// Secondary ones at a time (3 and 3 in English: 1,234,567; 3 and 2 in
// Hindi: 12,34,567), joined by Group. Primary 0 is no grouping.
type NumberFormat struct {
	Digits    []string `json:"digits"`
	Group     string   `json:"group"`
	Primary   int      `json:"primary"`
	Secondary int      `json:"secondary"`
}

// numberFormat reads p's digits and grouping from how it writes numbers:
// its digits are p.Sprint(0) to p.Sprint(9) (one character each), and the
// runs of them in 1234567890 as written are its groups, the characters
// between the first two runs its separator.
func numberFormat(p *message.Printer) NumberFormat {
	var f NumberFormat
	for d := range 10 {
		f.Digits = append(f.Digits, p.Sprint(d))
	}
	var groups []int
	run := 0
	for _, r := range p.Sprint(1234567890) {
		if slices.Contains(f.Digits, string(r)) {
			run++
			continue
		}
		if run > 0 {
			groups = append(groups, run)
			run = 0
		}
		if len(groups) == 1 {
			f.Group += string(r)
		}
	}
	groups = append(groups, run)
	if n := len(groups); n > 1 {
		f.Primary, f.Secondary = groups[n-1], groups[n-1]
		if n > 2 {
			f.Secondary = groups[n-2]
		}
	}
	return f
}

// Args are the values of a message's placeholders, by name.
type Args map[string]any

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// T returns the message key with each {name} replaced by args' value of
// name; integers and floats are written with the locale's digit grouping,
// anything else with fmt's %v. A placeholder with no argument is left as
// it is, and a key the catalog lacks comes back as "⟦key⟧", visible on the
// page (the catalog's tests make sure no template or script uses one).
func (c *Catalog) T(key string, args ...Args) string {
	text, ok := c.Messages[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(args) == 0 || !strings.Contains(text, "{") {
		return text
	}
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		for _, a := range args {
			if v, ok := a[name]; ok {
				return c.format(v)
			}
		}
		return m
	})
}

func (c *Catalog) format(v any) string {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return c.printer.Sprint(v)
	}
	return fmt.Sprint(v)
}

// Number writes n with the locale's digit grouping: 12,345 in English.
func (c *Catalog) Number(n int) string { return c.printer.Sprint(n) }

// Load reads the catalog LANG.json from fsys.
func Load(fsys fs.FS, name string) (*Catalog, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	var c Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", name, err)
	}
	tag, err := language.Parse(c.Locale)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: locale %q: %w", name, c.Locale, err)
	}
	if c.Dir != "ltr" && c.Dir != "rtl" {
		return nil, fmt.Errorf("catalog %s: dir %q is neither ltr nor rtl", name, c.Dir)
	}
	c.printer = message.NewPrinter(tag)
	c.Numbers = numberFormat(c.printer)
	return &c, nil
}

// Set is the catalogs the server offers, English first.
type Set struct {
	catalogs []*Catalog
	matcher  language.Matcher
}

// LoadSet reads every LANG.json in fsys. en.json is required: it is the
// reference every other catalog falls back to, key by key.
func LoadSet(fsys fs.FS) (*Set, error) {
	en, err := Load(fsys, "en.json")
	if err != nil {
		return nil, err
	}
	s := &Set{catalogs: []*Catalog{en}}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "en.json" {
			continue
		}
		c, err := Load(fsys, name)
		if err != nil {
			return nil, err
		}
		for k, v := range en.Messages {
			if _, ok := c.Messages[k]; !ok {
				c.Messages[k] = v
			}
		}
		s.catalogs = append(s.catalogs, c)
	}
	tags := make([]language.Tag, len(s.catalogs))
	for i, c := range s.catalogs {
		tags[i] = language.Make(c.Locale)
	}
	s.matcher = language.NewMatcher(tags)
	return s, nil
}

// English is the reference catalog.
func (s *Set) English() *Catalog { return s.catalogs[0] }

// Match picks the catalog for an Accept-Language header (English when
// none fits or the header is empty or malformed).
func (s *Set) Match(acceptLanguage string) *Catalog {
	if len(s.catalogs) == 1 || acceptLanguage == "" {
		return s.catalogs[0]
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return s.catalogs[0]
	}
	_, i, conf := s.matcher.Match(tags...)
	if conf == language.No {
		return s.catalogs[0]
	}
	return s.catalogs[i]
}

// Locales lists the locales of the catalogs, English first.
func (s *Set) Locales() []string {
	out := make([]string, len(s.catalogs))
	for i, c := range s.catalogs {
		out[i] = c.Locale
	}
	return out
}

// Default is the set embedded in the binary (web/messages). It panics at
// start-up if a catalog there is broken: that is a build mistake, caught by
// this package's tests.
var Default = mustLoad()

func mustLoad() *Set {
	s, err := LoadSet(messages.FS)
	if err != nil {
		panic(err)
	}
	return s
}

type ctxKey struct{}

// NewContext returns ctx carrying the catalog c.
func NewContext(ctx context.Context, c *Catalog) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the catalog ctx carries, or English.
func FromContext(ctx context.Context) *Catalog {
	if c, ok := ctx.Value(ctxKey{}).(*Catalog); ok {
		return c
	}
	return Default.English()
}

// New makes a catalog from messages, for tests and tools.
func New(locale, dir string, msgs map[string]string) *Catalog {
	p := message.NewPrinter(language.Make(locale))
	return &Catalog{Locale: locale, Dir: dir, Messages: msgs, Numbers: numberFormat(p), printer: p}
}
