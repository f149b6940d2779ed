package auth

import "testing"

func TestLocalPath(t *testing.T) {
	for next, want := range map[string]string{
		"/review?page=2": "/review?page=2", "/": "/", "": "/", "//evil.example/x": "/", "https://evil.example/": "/",
		"/\\evil.example": "/", "javascript:alert(1)": "/", "review": "/", "/a\r\nSet-Cookie: x": "/", "http:/x": "/",
	} {
		if got := LocalPath(next); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestClientKey(t *testing.T) {
	for ip, want := range map[string]string{
		"192.0.2.7": "192.0.2.7", "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64", "2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7": "192.0.2.7", "not an ip": "not an ip",
	} {
		if got := clientKey(ip); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", ip, got, want)
		}
	}
}

func TestCSRFTokenDiffersBySecret(t *testing.T) {
	a, b := csrfFor("secret one"), csrfFor("secret two")
	if a == b || a == "" || len(a) != 43 || a != csrfFor("secret one") {
		t.Errorf("csrfFor: %q, %q", a, b)
	}
}
