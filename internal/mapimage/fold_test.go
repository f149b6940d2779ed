package mapimage

import (
	"testing"

	"strikemap/data"
)

// TestFoldLettersTheFontLacks: a name with a letter the Go fonts lack is
// written without its accent, not with an empty box; letters they have
// keep theirs.
func TestFoldLettersTheFontLacks(t *testing.T) {
	r, err := New(data.Basemap)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"Al Ḩasakah": "Al Hasakah", "Sāmarrā’": "Sāmarrā’", "Tikrīt": "Tikrīt", "Erbil": "Erbil"} {
		if got := r.fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}
