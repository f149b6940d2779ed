package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"strikemap/data"
	"strikemap/internal/geo"
	"strikemap/internal/store"
	"strikemap/internal/testenv"
)

// Helpers for tests of a server whose record is a database (Options.Record):
// the security tests here, and the editing and history tests that build on
// them. recordServer starts one; recordClient is a browser (cookies, the
// CSRF token of the last page) or a script (an API token).

// eachDatabase runs test on SQLite in a temporary directory, and on
// PostgreSQL where testenv.Postgres has one (else that subtest skips, or
// fails when STRIKEMAP_POSTGRES_TESTS=required).
func eachDatabase(t *testing.T, test func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) { test(t, "sqlite:"+filepath.Join(t.TempDir(), "record.db")) })
	t.Run("postgres", func(t *testing.T) { test(t, testenv.Postgres(t)) })
}

// recordServer is a strikemap serving the fixture dataset with its record
// in a database, over real HTTP on loopback.
type recordServer struct {
	*Server
	Store *store.Store
	URL   string
}

// newRecordServer opens (and migrates) dbURL and serves the fixture
// dataset with it as the record. opts may set Options; Record is set here.
func newRecordServer(t *testing.T, dbURL string, opts ...Options) *recordServer {
	t.Helper()
	st, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d, err := geo.Load(os.DirFS("../geo/testdata/valid"))
	if err != nil {
		t.Fatal(err)
	}
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Record = st
	if o.Basemap == nil {
		o.Basemap = data.Basemap
	}
	s := mustNew(t, geo.NewStore(d, time.Now()), o)
	hs := httptest.NewServer(s)
	t.Cleanup(func() { hs.Close(); s.Close() })
	return &recordServer{Server: s, Store: st, URL: hs.URL}
}

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// addUser adds a user with testPassword.
func (rs *recordServer) addUser(t *testing.T, name string, role store.Role) {
	t.Helper()
	if _, err := rs.Store.AddUser(context.Background(), name, role, testPassword); err != nil {
		t.Fatal(err)
	}
}

// recordClient is one browser (a cookie jar, no redirects followed) or, with
// Token set, one script.
type recordClient struct {
	t     *testing.T
	rs    *recordServer
	http  *http.Client
	Token string // sent as Authorization: Bearer when set
	CSRF  string // the CSRF token of the last page read with page()
}

func (rs *recordServer) client(t *testing.T) *recordClient {
	jar, _ := cookiejar.New(nil)
	return &recordClient{t: t, rs: rs, http: &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request; form, if not nil, is its urlencoded body. header
// holds name, value pairs.
func (c *recordClient) do(method, path string, form url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.rs.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(b)
}

// page GETs an HTML page, keeps the CSRF token of its first form that has
// one, and returns the document.
func (c *recordClient) page(path string) (*http.Response, *goquery.Document) {
	c.t.Helper()
	res, body := c.do(http.MethodGet, path, nil)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if v, ok := doc.Find(`form input[name="csrf"]`).First().Attr("value"); ok {
		c.CSRF = v
	}
	return res, doc
}

// login logs in through the login form and fails the test unless it
// worked.
func (c *recordClient) login(name, password string) {
	c.t.Helper()
	if res := c.tryLogin(name, password); res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: %s, want 303", name, res.Status)
	}
	c.page("/") // the session's CSRF token
}

// tryLogin posts the login form once, as a browser would, and returns the
// answer.
func (c *recordClient) tryLogin(name, password string) *http.Response {
	c.t.Helper()
	c.page("/login")
	res, _ := c.do(http.MethodPost, "/login", url.Values{"name": {name}, "password": {password}, "csrf": {c.CSRF}, "next": {"/"}})
	return res
}

// post posts form (nil: empty) with the client's CSRF token added.
func (c *recordClient) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if c.CSRF != "" && !form.Has("csrf") {
		form.Set("csrf", c.CSRF)
	}
	return c.do(http.MethodPost, path, form)
}

// cookie returns the client's cookie of that name, or "".
func (c *recordClient) cookie(name string) string {
	u, _ := url.Parse(c.rs.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}
