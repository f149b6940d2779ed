package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"strikemap/internal/store"
)

func runWithInput(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runIn(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// dataset db import data/ then db export: the files are the shipped ones,
// byte for byte, replacing what the directory held.
func TestDBImportExportRoundTrip(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "record.db")
	code, out, errOut := runCmd(t, "db", "import", "../../data", "-db", db, "-reason", "the shipped dataset")
	if code != exitOK || !strings.Contains(out, "dataset version 1") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "db", "import", "-db", db, "../../data")
	if code != exitOK || !strings.Contains(out, "no new version") {
		t.Errorf("importing again: exit %d: %s", code, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "official-counts.json"), []byte("stale"), 0o644)
	code, out, errOut = runCmd(t, "db", "export", "-db", db, dir)
	if code != exitOK {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	for _, name := range store.Files() {
		want, _ := os.ReadFile(filepath.Join("../../data", name))
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: exported file differs from data/%s (%v)", name, name, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(store.Files()) {
		t.Errorf("export wrote %d entries, want %d (no temporary files left)", len(entries), len(store.Files()))
	}
}

func TestDBImportRefusesInvalidDataset(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "record.db")
	dir := datasetDir(t)
	inc := filepath.Join(dir, "incidents.geojson")
	b, _ := os.ReadFile(inc)
	os.WriteFile(inc, bytes.Replace(b, []byte(`"status": "confirmed"`), []byte(`"status": "rumoured"`), 1), 0o644)
	code, _, errOut := runCmd(t, "db", "import", dir, "-db", db)
	if code != exitFail || !strings.Contains(errOut, "nothing was imported") || !strings.Contains(errOut, "rumoured") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runCmd(t, "db", "export", "-db", db, t.TempDir())
	if code != exitFail || !strings.Contains(errOut, "holds no dataset yet") {
		t.Errorf("export of the still empty database: exit %d: %s", code, errOut)
	}
}

func TestDBNeedsURL(t *testing.T) {
	t.Setenv("STRIKEMAP_DB", "")
	code, _, errOut := runCmd(t, "db", "import", "../../data")
	if code != exitUsage || !strings.Contains(errOut, "-db is required") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	code, _, errOut = runCmd(t, "db", "import", "../../data", "-db", "mysql://x")
	if code != exitFail || !strings.Contains(errOut, "want sqlite:PATH or postgres://") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestUserCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "record.db")
	for _, tc := range []struct{ password, want string }{
		{"", "the password is empty"},
		{"\n", "the password is empty"},
		{"short pw\n", "want at least 12"},
		{"aaaaaaaaaaaaaaaa\n", "too few characters"},
		{"my name is alice!\n", "contains the user name"},
	} {
		code, _, errOut := runWithInput(t, tc.password, "user", "add", "alice", "-role", "editor", "-db", db)
		if code != exitFail || !strings.Contains(errOut, tc.want) {
			t.Errorf("password %q: exit %d: %s, want %q", tc.password, code, errOut, tc.want)
		}
	}
	code, _, errOut := runWithInput(t, "correct horse battery\n", "user", "add", "alice", "-role", "chief", "-db", db)
	if code != exitUsage || !strings.Contains(errOut, "want contributor, editor or admin") {
		t.Errorf("a bad role: exit %d: %s", code, errOut)
	}
	code, out, errOut := runWithInput(t, "correct horse battery\n", "user", "add", "alice", "-role", "editor", "-db", db)
	if code != exitOK || out != "added alice (editor)\n" {
		t.Fatalf("add: exit %d: %s%s", code, out, errOut)
	}
	code, _, errOut = runWithInput(t, "correct horse battery\n", "user", "add", "alice", "-role", "admin", "-db", db)
	if code != exitFail || !strings.Contains(errOut, "exists") {
		t.Errorf("adding alice twice: exit %d: %s", code, errOut)
	}
	runWithInput(t, "another good passphrase\r\n", "user", "add", "bob", "-role", "contributor", "-db", db)
	if code, _, errOut = runCmd(t, "user", "disable", "bob", "-db", db); code != exitOK {
		t.Errorf("disable: exit %d: %s", code, errOut)
	}
	if code, _, errOut = runCmd(t, "user", "disable", "carol", "-db", db); code != exitFail || !strings.Contains(errOut, "no user") {
		t.Errorf("disable an unknown user: exit %d: %s", code, errOut)
	}
	code, out, _ = runCmd(t, "user", "list", "-db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 3 || !strings.HasPrefix(lines[1], "alice") || !strings.HasSuffix(lines[1], "active") ||
		!strings.HasPrefix(lines[2], "bob") || !strings.Contains(lines[2], "contributor") || !strings.HasSuffix(lines[2], "disabled") {
		t.Errorf("list: exit %d:\n%s", code, out)
	}
}

func TestUserTokenCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "record.db")
	if code, _, errOut := runWithInput(t, "correct horse battery\n", "user", "add", "alice", "-role", "editor", "-db", db); code != exitOK {
		t.Fatalf("add alice: %s", errOut)
	}
	if code, _, errOut := runCmd(t, "user", "token", "add", "alice", "-db", db); code != exitUsage || !strings.Contains(errOut, "-label") {
		t.Errorf("a token without a label: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "user", "token", "add", "nobody", "-label", "ci", "-db", db); code != exitFail || !strings.Contains(errOut, "no user") {
		t.Errorf("a token for nobody: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCmd(t, "user", "token", "add", "alice", "-label", "nightly import", "-db", db)
	token := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(token, "smt_") || len(token) != 4+43 || strings.Contains(out, " ") || !strings.Contains(errOut, "shown only now") {
		t.Fatalf("token add: exit %d: stdout %q, stderr %s", code, out, errOut)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, err := s.TokenUser(ctx, token); err != nil || u.Name != "alice" {
		t.Fatalf("the printed token logs in %+v, %v", u, err)
	}
	for _, f := range []string{"record.db", "record.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(strings.TrimSuffix(strings.TrimPrefix(db, "sqlite:"), "record.db"), f))
		if bytes.Contains(b, []byte(token)) || bytes.Contains(b, []byte(strings.TrimPrefix(token, "smt_"))) {
			t.Errorf("the token itself is in %s", f)
		}
	}
	code, out, _ = runCmd(t, "user", "token", "list", "-db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 2 || !strings.HasPrefix(lines[1], "1 ") || !strings.Contains(lines[1], "alice") ||
		!strings.Contains(lines[1], "nightly import") || !strings.HasSuffix(lines[1], "active") || strings.Contains(out, token) {
		t.Errorf("token list: exit %d:\n%s", code, out)
	}
	if code, out, errOut = runCmd(t, "user", "token", "revoke", "1", "-db", db); code != exitOK || !strings.Contains(out, "revoked token 1 of alice") {
		t.Errorf("revoke: exit %d: %s%s", code, out, errOut)
	}
	if _, err := s.TokenUser(ctx, token); !errors.Is(err, store.ErrNoSession) {
		t.Errorf("a revoked token still works: %v", err)
	}
	if code, _, errOut = runCmd(t, "user", "token", "revoke", "9", "-db", db); code != exitFail || !strings.Contains(errOut, "no such token") {
		t.Errorf("revoke an unknown token: exit %d: %s", code, errOut)
	}
	if code, _, errOut = runCmd(t, "user", "token", "revoke", "x", "-db", db); code != exitUsage {
		t.Errorf("revoke x: exit %d: %s", code, errOut)
	}
	if code, out, _ = runCmd(t, "user", "token", "list", "alice", "-db", db); code != exitOK || !strings.Contains(out, "revoked") {
		t.Errorf("token list alice: exit %d:\n%s", code, out)
	}
}

// dataset user add -link prints a one-time link (the site's, or its path
// with a message when no base URL is known) instead of reading a password;
// user link makes a new one, replacing the last; user enable undoes a
// disable.
func TestUserLinkCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "record.db")
	t.Setenv("STRIKEMAP_BASE_URL", "")
	code, out, errOut := runWithInput(t, "ignored, not read\n", "user", "add", "alice", "-role", "editor", "-link", "-db", db)
	first := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(first, "/set-password?token=") || strings.Count(out, "\n") != 1 ||
		!strings.Contains(errOut, "no -base-url (or STRIKEMAP_BASE_URL)") || !strings.Contains(errOut, "added alice (editor), without a password yet") {
		t.Fatalf("add -link without a base URL: exit %d: stdout %q, stderr %s", code, out, errOut)
	}
	if code, out, _ = runCmd(t, "user", "list", "-db", db); code != exitOK || !strings.HasSuffix(strings.TrimSpace(out), "no password yet") {
		t.Errorf("list after add -link: exit %d:\n%s", code, out)
	}
	t.Setenv("STRIKEMAP_BASE_URL", "https://example.org/strikemap/")
	code, out, errOut = runCmd(t, "user", "link", "alice", "-db", db)
	second := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(second, "https://example.org/strikemap/set-password?token=") || strings.Contains(errOut, "no -base-url") ||
		!strings.Contains(errOut, "valid until") {
		t.Fatalf("link with STRIKEMAP_BASE_URL: exit %d: stdout %q, stderr %s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "user", "link", "alice", "-base-url", "https://map.example", "-db", db)
	third := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(third, "https://map.example/set-password?token=") {
		t.Fatalf("link -base-url: exit %d: %q", code, out)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	tokenOf := func(link string) string { _, tok, _ := strings.Cut(link, "?token="); return tok }
	for _, old := range []string{first, second} {
		if _, err := s.PasswordLinkUser(ctx, tokenOf(old)); !errors.Is(err, store.ErrNoLink) {
			t.Errorf("a link replaced by a newer one: %v", err)
		}
	}
	if u, err := s.SetPasswordByLink(ctx, tokenOf(third), "correct horse battery"); err != nil || u.Name != "alice" {
		t.Fatalf("the last link: %+v %v", u, err)
	}
	if code, _, errOut = runCmd(t, "user", "link", "nobody", "-db", db); code != exitFail || !strings.Contains(errOut, "no user") {
		t.Errorf("link for nobody: exit %d: %s", code, errOut)
	}
	if code, _, _ = runCmd(t, "user", "disable", "alice", "-db", db); code != exitOK {
		t.Fatal("disable alice")
	}
	if code, _, errOut = runCmd(t, "user", "link", "alice", "-db", db); code != exitFail || !strings.Contains(errOut, "enable them first") {
		t.Errorf("link for a disabled user: exit %d: %s", code, errOut)
	}
	if code, out, errOut = runCmd(t, "user", "enable", "alice", "-db", db); code != exitOK || !strings.Contains(out, "enabled alice") {
		t.Errorf("enable: exit %d: %s%s", code, out, errOut)
	}
	if _, err := s.Authenticate(ctx, "alice", "correct horse battery"); err != nil {
		t.Errorf("alice enabled again: %v", err)
	}
	if code, _, errOut = runCmd(t, "user", "enable", "carol", "-db", db); code != exitFail || !strings.Contains(errOut, "no user") {
		t.Errorf("enable an unknown user: exit %d: %s", code, errOut)
	}
}
