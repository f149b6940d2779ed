package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"strikemap/internal/atomicfile"
	"strikemap/internal/store"
)

const dbUsage = `Usage:
  dataset db import DIR -db URL [-reason TEXT]   load DIR into the database, as one revision by "import"
  dataset db export -db URL DIR                  write the database's dataset files into DIR

URL is sqlite:PATH or postgres://USER@HOST:PORT/DB (env STRIKEMAP_DB). The
database is created and migrated when needed. docs/editing.md explains.
`

const userUsage = `Usage:
  dataset user add NAME -role contributor|editor|admin -db URL   (the password is read from stdin)
  dataset user add NAME -role ROLE -link [-base-url URL] -db URL   (prints a one-time link to set it instead)
  dataset user link NAME [-base-url URL] -db URL   (a new one-time link to set NAME's password: a reset)
  dataset user list -db URL
  dataset user disable NAME -db URL   (its sessions and API tokens stop at once)
  dataset user enable NAME -db URL    (may log in again; what disabling revoked stays revoked)
  dataset user token add NAME -label WHAT -db URL   (prints a new API token for NAME, once)
  dataset user token list [NAME] -db URL
  dataset user token revoke ID -db URL
`

// dbFlag declares -db, falling back to STRIKEMAP_DB.
func dbFlag(fl *flag.FlagSet) *string {
	return fl.String("db", os.Getenv("STRIKEMAP_DB"), "database `URL`: sqlite:PATH or postgres://USER@HOST:PORT/DB (env STRIKEMAP_DB)")
}

// openStore opens -db, or says that it is missing.
func openStore(ctx context.Context, fl *flag.FlagSet, url string, stderr io.Writer) (*store.Store, int) {
	if url == "" {
		return nil, usageError(stderr, fl, "-db is required (or STRIKEMAP_DB): sqlite:PATH or postgres://USER@HOST:PORT/DB")
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		fmt.Fprintf(stderr, "dataset %s: %v\n", fl.Name(), err)
		return nil, exitFail
	}
	return s, exitOK
}

// runDB runs "dataset db import|export".
func runDB(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "help") {
			fmt.Fprint(stdout, dbUsage)
			return exitOK
		}
		fmt.Fprint(stderr, dbUsage)
		return exitUsage
	}
	ctx := context.Background()
	fl := flag.NewFlagSet("db "+args[0], flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, dbUsage, "\nFlags:\n"); fl.PrintDefaults() }
	url := dbFlag(fl)
	reason := fl.String("reason", "", "why, recorded with the import's revision")
	pos, err := parseArgs(fl, args[1:])
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, fl, "want one dataset directory, got %d arguments", len(pos))
	}
	dir := pos[0]
	s, code := openStore(ctx, fl, *url, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	if args[0] == "import" {
		if err := checkDir(dir); err != nil {
			fmt.Fprintf(stderr, "dataset db import: %v\n", err)
			return exitFail
		}
		res, err := s.Import(ctx, os.DirFS(dir), store.ImportAuthor, *reason)
		if err != nil {
			fmt.Fprintf(stderr, "dataset db import: %s: nothing was imported: %v\n", dir, err)
			return exitFail
		}
		if res.Version == 0 {
			fmt.Fprintf(stdout, "%s: the database already holds this dataset (%d features): no new version\n", dir, res.Unchanged)
			return exitOK
		}
		fmt.Fprintf(stdout, "%s: imported into %s: added %d, updated %d, retracted %d, unchanged %d; revision %d, dataset version %d (%s)\n",
			dir, s, res.Added, res.Updated, res.Retracted, res.Unchanged, res.Revision, res.Version, res.Digest)
		return exitOK
	}
	files, err := s.DatasetFiles(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "dataset db export: %v\n", err)
		return exitFail
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "dataset db export: %s holds no dataset yet: import one with `dataset db import DIR -db URL`\n", s)
		return exitFail
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "dataset db export:", err)
		return exitFail
	}
	var names []string
	for _, name := range store.Files() {
		b, ok := files[name]
		path := filepath.Join(dir, name)
		if !ok {
			// A file the record does not hold must not be served beside it.
			if err := os.Remove(path); err == nil {
				fmt.Fprintf(stdout, "removed %s: the database holds no %s\n", path, name)
			} else if !errors.Is(err, os.ErrNotExist) {
				fmt.Fprintln(stderr, "dataset db export:", err)
				return exitFail
			}
			continue
		}
		if err := atomicfile.Write(path, b); err != nil {
			fmt.Fprintln(stderr, "dataset db export:", err)
			return exitFail
		}
		names = append(names, name)
	}
	fmt.Fprintf(stdout, "exported %s from %s to %s\n", strings.Join(names, ", "), s, dir)
	return exitOK
}

// checkDir says what is wrong with a directory to import.
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory: give a dataset directory holding bases.geojson and incidents.geojson", dir)
	}
	return nil
}

// userCommands are the subcommands of "dataset user" besides token.
var userCommands = []string{"add", "link", "list", "disable", "enable"}

// runUser runs "dataset user add|link|list|disable|enable|token".
func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "token" {
		return runToken(args[1:], stdout, stderr)
	}
	if len(args) == 0 || !slices.Contains(userCommands, args[0]) {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "help") {
			fmt.Fprint(stdout, userUsage)
			return exitOK
		}
		fmt.Fprint(stderr, userUsage)
		return exitUsage
	}
	ctx := context.Background()
	cmd := args[0]
	fl := flag.NewFlagSet("user "+cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, userUsage, "\nFlags:\n"); fl.PrintDefaults() }
	url := dbFlag(fl)
	role, link, baseURL := "", false, ""
	if cmd == "add" {
		fl.StringVar(&role, "role", "", "contributor (proposes changes), editor (approves them, edits directly) or admin (manages users)")
		fl.BoolVar(&link, "link", false, "print a one-time link for the user to set their password, instead of reading it from stdin")
	}
	if cmd == "add" || cmd == "link" {
		fl.StringVar(&baseURL, "base-url", os.Getenv("STRIKEMAP_BASE_URL"), "public `URL` of the site the link is for, e.g. https://example.org/strikemap (env STRIKEMAP_BASE_URL, as cmd/web's -base-url)")
	}
	pos, err := parseArgs(fl, args[1:])
	if err != nil {
		return flagExit(err)
	}
	want := 1
	if cmd == "list" {
		want = 0
	}
	if len(pos) != want {
		return usageError(stderr, fl, "want %d argument(s) (the user name), got %d", want, len(pos))
	}
	var r store.Role
	if cmd == "add" {
		if r, err = store.ParseRole(role); err != nil {
			return usageError(stderr, fl, "-role: %v", err)
		}
	}
	s, code := openStore(ctx, fl, *url, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	switch cmd {
	case "add":
		if link {
			u, err := s.AddUserWithoutPassword(ctx, pos[0], r)
			if err != nil {
				fmt.Fprintf(stderr, "dataset user add: %v\n", err)
				return exitFail
			}
			fmt.Fprintf(stderr, "added %s (%s), without a password yet\n", u.Name, u.Role)
			return printPasswordLink(ctx, s, u.Name, baseURL, stdout, stderr)
		}
		password, err := readPassword(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "dataset user add: read the password from stdin: %v\n", err)
			return exitFail
		}
		u, err := s.AddUser(ctx, pos[0], r, password)
		if err != nil {
			fmt.Fprintf(stderr, "dataset user add: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", u.Name, u.Role)
	case "list":
		users, err := s.UserAccounts(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "dataset user list: %v\n", err)
			return exitFail
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tSTATE")
		for _, u := range users {
			state := "active"
			switch {
			case u.Disabled:
				state = "disabled"
			case u.NoPassword:
				state = "no password yet"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt, state)
		}
		tw.Flush()
	case "disable":
		if err := s.DisableUser(ctx, pos[0]); err != nil {
			fmt.Fprintf(stderr, "dataset user disable: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "disabled %s: it can no longer log in, its sessions and API tokens are revoked; its revisions keep its name\n", pos[0])
	case "enable":
		if err := s.EnableUser(ctx, pos[0]); err != nil {
			fmt.Fprintf(stderr, "dataset user enable: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "enabled %s: it may log in again; the sessions and API tokens revoked when it was disabled stay revoked\n", pos[0])
	case "link":
		return printPasswordLink(ctx, s, pos[0], baseURL, stdout, stderr)
	}
	return exitOK
}

// printPasswordLink makes a one-time link to set name's password and
// prints it alone on stdout (LINK=$(dataset user link ...)), what it is
// for on stderr. Without a base URL the link is the path on the site,
// and stderr says to put the site's address before it.
func printPasswordLink(ctx context.Context, s *store.Store, name, baseURL string, stdout, stderr io.Writer) int {
	l, err := s.NewPasswordLink(ctx, name, "dataset")
	if err != nil {
		fmt.Fprintf(stderr, "dataset user link: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(stdout, store.PasswordLinkURL(baseURL, l.Token))
	if strings.TrimSpace(baseURL) == "" {
		fmt.Fprintln(stderr, "no -base-url (or STRIKEMAP_BASE_URL): this is the link's path on the site; put the site's address before it (https://example.org/strikemap/set-password?token=...)")
	}
	fmt.Fprintf(stderr, "a one-time link for %s to set their password, valid until %s, once; a newer link replaces it. Send it only to %s: whoever opens it sets the password.\n",
		name, l.ExpiresAt.Format("2006-01-02 15:04 UTC"), name)
	return exitOK
}

// readPassword reads the password: the first line of stdin, without its
// line ending (printf '%s\n' "$PASSWORD" | dataset user add ...).
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// runToken runs "dataset user token add|list|revoke". The token add prints
// goes alone to stdout (TOKEN=$(dataset user token add ...)); what to do
// with it, to stderr.
func runToken(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list" && args[0] != "revoke") {
		fmt.Fprint(stderr, userUsage)
		return exitUsage
	}
	ctx := context.Background()
	cmd := args[0]
	fl := flag.NewFlagSet("user token "+cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, userUsage, "\nFlags:\n"); fl.PrintDefaults() }
	url := dbFlag(fl)
	label := ""
	if cmd == "add" {
		fl.StringVar(&label, "label", "", "what the token is for (\"nightly ACLED import\"), shown by token list")
	}
	pos, err := parseArgs(fl, args[1:])
	if err != nil {
		return flagExit(err)
	}
	switch {
	case cmd == "add" && len(pos) != 1:
		return usageError(stderr, fl, "want 1 argument (the user name), got %d", len(pos))
	case cmd == "add" && strings.TrimSpace(label) == "":
		return usageError(stderr, fl, "-label: say what the token is for, so that a list of tokens can be read")
	case cmd == "list" && len(pos) > 1:
		return usageError(stderr, fl, "want at most 1 argument (a user name), got %d", len(pos))
	case cmd == "revoke" && len(pos) != 1:
		return usageError(stderr, fl, "want 1 argument (the token's ID, from token list), got %d", len(pos))
	}
	var id int64
	if cmd == "revoke" {
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil || id < 1 {
			return usageError(stderr, fl, "token ID %q: want the number token list shows", pos[0])
		}
	}
	s, code := openStore(ctx, fl, *url, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	switch cmd {
	case "add":
		t, token, err := s.AddToken(ctx, pos[0], label)
		if err != nil {
			fmt.Fprintf(stderr, "dataset user token add: %v\n", err)
			return exitFail
		}
		fmt.Fprintln(stdout, token)
		fmt.Fprintf(stderr, "token %d for %s (%q): send it as \"Authorization: Bearer TOKEN\"; it acts with %s's role. It is shown only now: only its hash is kept.\n", t.ID, t.User, t.Name, t.User)
	case "list":
		user := ""
		if len(pos) == 1 {
			user = pos[0]
		}
		tokens, err := s.Tokens(ctx, user)
		if err != nil {
			fmt.Fprintf(stderr, "dataset user token list: %v\n", err)
			return exitFail
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCREATED\tLAST USED\tSTATE")
		for _, t := range tokens {
			state, used := "active", t.LastUsedAt
			if t.Revoked {
				state = "revoked"
			}
			if used == "" {
				used = "never"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Name, t.CreatedAt, used, state)
		}
		tw.Flush()
	case "revoke":
		t, err := s.RevokeToken(ctx, id)
		if err != nil {
			fmt.Fprintf(stderr, "dataset user token revoke: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "revoked token %d of %s (%q): it no longer works\n", t.ID, t.User, t.Name)
	}
	return exitOK
}
