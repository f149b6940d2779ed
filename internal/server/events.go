package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"strikemap/internal/geo"
	"strikemap/internal/request"
)

// defaultMaxStreams caps the event streams open at once: each holds a
// connection and a goroutine for as long as a map page is open.
const defaultMaxStreams = 1000

// heartbeat is how often an idle stream sends a comment, so that proxies
// and load balancers that close quiet connections keep it open.
const heartbeat = 15 * time.Second

// versionEvent is the data of an "event: version" of /api/events.
type versionEvent struct {
	// Number is the record's version number; null when the data is files.
	Number *int64 `json:"number"`
	// Digest is the dataset's version, as X-Dataset-Version says.
	Digest string `json:"digest"`
}

func newVersionEvent(d *geo.Dataset) versionEvent {
	ev := versionEvent{Digest: d.Version}
	if d.Record > 0 {
		n := d.Record
		ev.Number = &n
	}
	return ev
}

// events sends every dataset the store starts serving to the open
// streams of /api/events. A slow stream gets the newest version only.
type events struct {
	life      context.Context
	max       int
	heartbeat time.Duration
	mu        sync.Mutex
	last      versionEvent
	streams   map[chan versionEvent]struct{}
}

func newEvents(life context.Context, d *geo.Dataset, max int) *events {
	return &events{life: life, max: max, heartbeat: heartbeat, last: newVersionEvent(d), streams: map[chan versionEvent]struct{}{}}
}

// publish tells every stream of d.
func (e *events) publish(d *geo.Dataset) {
	ev := newVersionEvent(d)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.last = ev
	for ch := range e.streams {
		select {
		case ch <- ev:
		default: // a version it has not read yet: the newer one replaces it
			select {
			case <-ch:
			default:
			}
			ch <- ev
		}
	}
}

// subscribe opens a stream, which starts with the version served now;
// ok is false when max streams are open.
func (e *events) subscribe() (ch chan versionEvent, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.streams) >= e.max {
		return nil, false
	}
	ch = make(chan versionEvent, 1)
	ch <- e.last
	e.streams[ch] = struct{}{}
	return ch, true
}

func (e *events) unsubscribe(ch chan versionEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.streams, ch)
}

// open counts the streams open now.
func (e *events) open() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.streams)
}

// eventStream answers GET /api/events: Server-Sent Events, an "event:
// version" with the version served when the stream opens and with every
// new one after (a -data reload, a version of the record another process
// made), and a comment every heartbeat. The stream ends when the client
// goes or the server closes.
func (s *Server) eventStream(c echo.Context) error {
	if _, err := request.Query(c.QueryString()); err != nil {
		return err
	}
	ch, ok := s.events.subscribe()
	if !ok {
		c.Response().Header().Set("Retry-After", "60")
		return echo.NewHTTPError(http.StatusServiceUnavailable, fmt.Sprintf("%d event streams are open, the most this server keeps; the page works without one (reload it for new data)", s.events.max))
	}
	defer s.events.unsubscribe(ch)
	res := c.Response()
	// A stream outlives the server's write timeout.
	_ = http.NewResponseController(res).SetWriteDeadline(time.Time{})
	h := res.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	res.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(res, "retry: 5000\n\n"); err != nil {
		return nil
	}
	res.Flush()
	tick := time.NewTicker(s.events.heartbeat)
	defer tick.Stop()
	done := c.Request().Context().Done()
	for {
		var err error
		select {
		case <-done:
			return nil
		case <-s.events.life.Done():
			return nil
		case ev := <-ch:
			b, _ := json.Marshal(ev)
			_, err = fmt.Fprintf(res, "event: version\ndata: %s\n\n", b)
		case <-tick.C:
			_, err = fmt.Fprint(res, ": heartbeat\n\n")
		}
		if err != nil {
			return nil
		}
		res.Flush()
	}
}
