package geo_test

import (
	"os"
	"testing"

	"strikemap/internal/geo"
)

// BenchmarkLoadDir loads the dataset in $STRIKEMAP_BENCH_DATA (e.g. one made
// with `go run ./cmd/dataset synth`); it is skipped when that is unset.
func BenchmarkLoadDir(b *testing.B) {
	dir := os.Getenv("STRIKEMAP_BENCH_DATA")
	if dir == "" {
		b.Skip("set STRIKEMAP_BENCH_DATA to a dataset directory")
	}
	for b.Loop() {
		if _, err := geo.Load(os.DirFS(dir)); err != nil {
			b.Fatal(err)
		}
	}
}
