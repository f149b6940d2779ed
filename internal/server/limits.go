package server

import (
	"context"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"strikemap/internal/request"
)

// DefaultMaxURLBytes is the longest request URI (path and query) served when
// Options.MaxURLBytes is 0. Every query strikemap takes fits in a few
// hundred bytes; a list of 100 base ids in well under 8 KiB.
const DefaultMaxURLBytes = 32 << 10

// limitURL answers 414 to a request whose URI is longer than max bytes,
// before any parsing: the longer a query, the more every parser allocates.
func limitURL(max int) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if n := len(c.Request().RequestURI); n > max {
				return &request.Error{Status: http.StatusRequestURITooLong,
					Message: "the URL is " + strconv.Itoa(n) + " bytes long; at most " + strconv.Itoa(max) + " are allowed"}
			}
			return next(c)
		}
	}
}

// rateLimit limits each client (by IP address, as the server's IPExtractor
// finds it) to perRate requests a second with bursts of burst, answering
// 429 with Retry-After beyond it. Loopback clients are exempt unless
// limitLoopback: a health check or a reverse proxy on the same machine
// must not be throttled as one client.
func rateLimit(perRate float64, burst int, limitLoopback bool) echo.MiddlewareFunc {
	if burst < 1 {
		burst = max(1, int(math.Ceil(perRate)))
	}
	retryAfter := strconv.Itoa(max(1, int(math.Ceil(1/perRate))))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool {
			if limitLoopback {
				return false
			}
			ip := net.ParseIP(c.RealIP())
			return ip != nil && ip.IsLoopback()
		},
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(perRate), Burst: burst, ExpiresIn: 3 * time.Minute,
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retryAfter)
			return &request.Error{Status: http.StatusTooManyRequests,
				Message: "too many requests from your address; this server allows " + strconv.FormatFloat(perRate, 'f', -1, 64) +
					" a second (bursts of " + strconv.Itoa(burst) + "); try again in " + retryAfter + " s"}
		},
	})
}

// drawing bounds how many costly bodies (map images, CSV files) are built
// at once, so that their memory is bounded whatever the number of clients:
// the largest image allowed is 160 MB of pixels while it is drawn.
type drawing chan struct{}

func newDrawing(n int) drawing { return make(drawing, max(1, n)) }

// statusClientClosed is nginx's status for a request whose client left
// before the answer: no client sees it, and it is not the server's error.
const statusClientClosed = 499

// acquire waits for a free slot, or until the client leaves; release must
// follow a nil error.
func (d drawing) acquire(ctx context.Context) error {
	select {
	case d <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &request.Error{Status: statusClientClosed, Message: "the client closed the request"}
	}
}

func (d drawing) release() { <-d }
