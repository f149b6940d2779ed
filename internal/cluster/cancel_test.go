package cluster

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// doneAfter is a context that is done after its Err has been asked n
// times, so that a test can cancel a build half way, without timing.
type doneAfter struct {
	n, asked int
}

func (c *doneAfter) Err() error {
	c.asked++
	if c.asked > c.n {
		return context.Canceled
	}
	return nil
}
func (c *doneAfter) Done() <-chan struct{}       { return nil }
func (c *doneAfter) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *doneAfter) Value(any) any               { return nil }

// TestNewContextStops cancels an index build after three zooms: it must
// give up there, with the context's error, not build the other zooms.
func TestNewContextStops(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	points := make([]orb.Point, 5000)
	for i := range points {
		points[i] = orb.Point{r.Float64()*20 + 30, r.Float64()*15 + 25}
	}
	ctx := &doneAfter{n: 3}
	ix, err := NewContext(ctx, points, DefaultOptions())
	if !errors.Is(err, context.Canceled) || ix != nil {
		t.Fatalf("got %v, %v; want no index and context.Canceled", ix, err)
	}
	if ctx.asked != 4 {
		t.Errorf("the build asked the context %d times, want 4 (it stops at the first no)", ctx.asked)
	}
	whole := &doneAfter{n: 1 << 30}
	if _, err := NewContext(whole, points, DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if zooms := DefaultOptions().MaxZoom - DefaultOptions().MinZoom + 1; whole.asked != zooms {
		t.Errorf("a whole build asked %d times, want once a zoom (%d)", whole.asked, zooms)
	}
}
