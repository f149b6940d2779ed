package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // to create each test's database
)

// PostgresVar is the environment variable that says whether the PostgreSQL
// tests must run ("required", as in CI), must not ("off"), or may skip when
// PostgreSQL is not installed (unset).
const PostgresVar = "STRIKEMAP_POSTGRES_TESTS"

// pgServer is the one PostgreSQL a test binary starts, in a temporary
// directory on a free loopback port, shared by its tests (initdb takes
// seconds); each test gets a database of its own.
var pgServer struct {
	once sync.Once
	dir  string // data directory
	bin  string
	port int
	err  error
	n    atomic.Int64
}

// Postgres returns the URL of a new, empty PostgreSQL database for the
// test, on a server the test binary starts on first use (StopPostgres,
// from TestMain, stops it). Where PostgreSQL (15 or later) is not
// installed the test skips, or fails when STRIKEMAP_POSTGRES_TESTS is
// "required" or CI is set. Run as root, the server runs as the postgres
// user, which PostgreSQL insists on.
func Postgres(t testing.TB) string {
	t.Helper()
	mode := os.Getenv(PostgresVar)
	if mode == "off" {
		t.Skipf("%s=off", PostgresVar)
	}
	bin := postgresBin()
	if bin == "" {
		msg := "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb nor initdb on PATH)"
		if mode == "required" || os.Getenv("CI") != "" {
			t.Fatalf("%s, and %s=required or CI is set: install it (apt-get install postgresql; .ci/run does)", msg, PostgresVar)
		}
		t.Skipf("%s; skipping (set %s=required to make this a failure)", msg, PostgresVar)
	}
	pgServer.once.Do(func() { pgServer.err = startPostgres(bin) })
	if pgServer.err != nil {
		t.Fatalf("start PostgreSQL: %v", pgServer.err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), pgServer.n.Add(1))
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pgServer.port)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", pgServer.port, name)
}

// StopPostgres stops the server Postgres started, if any, and removes its
// directory. Call it from TestMain after m.Run.
func StopPostgres() {
	if pgServer.dir == "" {
		return
	}
	asPostgres(filepath.Join(pgServer.bin, "pg_ctl"), "-D", filepath.Join(pgServer.dir, "data"), "-m", "immediate", "stop").Run()
	os.RemoveAll(pgServer.dir)
}

// postgresBin finds the newest PostgreSQL's bin directory.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a < b
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// asPostgres runs a PostgreSQL program as the postgres user when we are
// root (the server refuses to run as root), else as ourselves.
func asPostgres(prog string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	}
	return exec.Command(prog, args...)
}

func startPostgres(bin string) error {
	dir, err := os.MkdirTemp("", "strikemap-pg-")
	if err != nil {
		return err
	}
	pgServer.dir, pgServer.bin = dir, bin
	data := filepath.Join(dir, "data")
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root needs a postgres user to run the server as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	if out, err := asPostgres(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	pgServer.port = port
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", port, dir)
	if out, err := asPostgres(filepath.Join(bin, "pg_ctl"), "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "120", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
