// Command render measures how long strikemap's map page takes to render in
// headless Chromium: from opening a tab and navigating to the page's
// data-ready mark (the histogram where it is shown, the bases and the incidents or clusters
// drawn), and by the page's own clock from the navigation's start to that
// mark (without the tab's opening). With -pans N
// it then drags the map N times, as a user pans, and measures from each
// drag's start to the map redrawn for the new view (the page's busy mark
// cleared), and the main thread's long tasks (over 50 ms) meanwhile. With
// -filters N it then unticks and reticks a weapon N times, as a user
// filters, and measures from each click to the map redrawn for it (the
// page's render count up and its busy mark cleared). -width and -height
// set the viewport (375 and 740 for a phone's), and -cpu-throttle N slows
// the page's CPU N times, as DevTools' phone profiles do; -latency and
// -throughput slow its network the same way (the runs of one command share
// the browser's cache, as a reader's visits do). -device mid or low
// instead finds the slowdown at which this machine's Chromium scores a
// Pixel 5's or a Moto G4 Power's CPU on Lighthouse's BenchmarkIndex, as
// DevTools' calibrated phone presets do: a fixed 4× divides whatever CPU
// the test runs on, so it is a different phone on every machine.
//
//	go run ./bench/render -url http://127.0.0.1:8080/ -runs 3 -pans 20 -filters 20
//	go run ./bench/render -url http://127.0.0.1:8080/ -width 375 -height 740 -cpu-throttle 4
//	go run ./bench/render -url http://127.0.0.1:8080/ -width 375 -height 740 -device mid
//
// -trace FILE records the last load in a Chrome trace and prints the
// renderer's main-thread tasks of 15 ms or more and their steps of 5 ms or more (parsing, compiling and
// running scripts, style, layout, paint), which -profile's JavaScript
// samples count as "(program)".
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// cpuTime makes -profile's main-thread figures CPU time: on a machine
// shared with other work, wall time counts the other work too.
var profileOut = flag.String("cpuprofile", "", "with -profile, write the last load's JavaScript CPU profile to this file (.cpuprofile, for DevTools)")

var cpuTime = flag.Bool("cpu-time", false, "with -profile, give the main thread's script, style, layout and task durations in its CPU time (threadTicks) rather than wall time")

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/", "map page URL")
	runs := flag.Int("runs", 3, "page loads to time")
	pans := flag.Int("pans", 0, "drags of the map to time after the last load")
	filters := flag.Int("filters", 0, "filter changes to time after the last load (and the pans)")
	width := flag.Int64("width", 1280, "the page's viewport width, CSS px")
	height := flag.Int64("height", 800, "the page's viewport height, CSS px")
	latency := flag.Float64("latency", 0, "delay each request's answer this many milliseconds, as DevTools' network throttling does (150 with -throughput 1600 is its \"Slow 4G\"); 0 leaves the network as it is")
	throughput := flag.Float64("throughput", 0, "with -latency, cap the download at this many kbit/s (0: no cap)")
	throttle := flag.Float64("cpu-throttle", 1, "slow the page's CPU down this many times (Chromium's CPU throttling, as DevTools' phone profiles do: 4 for a mid-range phone); 1 leaves it as it is")
	device := flag.String("device", "", "calibrate -cpu-throttle on this machine to a phone's CPU, as DevTools' calibrated presets do: mid (a Pixel 5, BenchmarkIndex 1000) or low (a Moto G4 Power, 264); the rate found is printed and used")
	jsProfile := flag.Bool("profile", false, "print the JavaScript functions that took the most time during the last load, the pans and the filter changes, and the last load's requests")
	traceFile := flag.String("trace", "", "record a Chrome trace of the last load into this file (for DevTools' Performance panel or ui.perfetto.dev) and print the main thread's longest steps")
	flag.Parse()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		fmt.Fprintln(os.Stderr, "render: chromium not found")
		os.Exit(1)
	}
	dir, _ := os.MkdirTemp("", "render")
	defer os.RemoveAll(dir)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(dir),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 800))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	browser, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(browser); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
	if *device != "" {
		rate, own, err := calibrate(browser, *device)
		if err != nil {
			fmt.Fprintln(os.Stderr, "render:", err)
			os.Exit(1)
		}
		fmt.Printf("this machine's BenchmarkIndex %.0f; the %s device's %.0f at -cpu-throttle %.2f\n", own, *device, deviceScores[*device], rate)
		*throttle = rate
	}
	for i := range *runs {
		tab, cancelTab := chromedp.NewContext(browser)
		var stop func(string)
		var stopTrace func() error
		if *traceFile != "" && i == *runs-1 {
			var err error
			if stopTrace, err = startTrace(tab, *traceFile); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		if *jsProfile && i == *runs-1 {
			var err error
			if stop, err = startProfile(tab); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		if err := chromedp.Do(tab, chromedp.EmulateViewport(*width, *height)); err != nil {
			fmt.Fprintln(os.Stderr, "render:", err)
			os.Exit(1)
		}
		if *throttle > 1 {
			if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: *throttle})
				return err
			})); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		if *latency > 0 {
			// Network.enable first: the conditions apply to a tab whose
			// network domain is on.
			down := -1.0
			if *throughput > 0 {
				down = *throughput * 1000 / 8
			}
			if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
					MatchedNetworkConditions: []*network.Conditions{{Latency: *latency, DownloadThroughput: down, UploadThroughput: -1}},
				})
				return err
			})); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		start := time.Now()
		err := chromedp.Do(tab, chromedp.Navigate(*target))
		if err == nil {
			_, err = chromedp.Run(tab, chromedp.Poll[bool](`document.body.dataset.ready === '1'`, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(5*time.Millisecond)))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "render:", err)
			os.Exit(1)
		}
		first := time.Since(start)
		n, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById('incident-count').textContent`))
		// The page's own clock: from the navigation's start (what a reader
		// who follows a link waits), without opening the tab.
		page, err := chromedp.Run(tab, chromedp.Evaluate[float64](`performance.getEntriesByName('data-ready')[0].startTime`))
		if err != nil {
			fmt.Fprintln(os.Stderr, "render: the page's data-ready mark:", err)
			os.Exit(1)
		}
		fmt.Printf("run %d: first render %d ms, %.0f ms from the navigation's start (%s)\n", i+1, first.Milliseconds(), page, n)
		if *jsProfile {
			// The page's performance marks: data-ready, and any put in to
			// find where a load's time goes.
			marks, err := chromedp.Run(tab, chromedp.Evaluate[string](`performance.getEntriesByType('mark').map((m) => m.name + ' ' + Math.round(m.startTime)).join(', ')`))
			if err != nil {
				fmt.Fprintln(os.Stderr, "render: the page's marks:", err)
				os.Exit(1)
			}
			fmt.Printf("  the page's marks (ms from the navigation's start): %s\n", marks)
		}
		if stopTrace != nil {
			if err := stopTrace(); err != nil {
				fmt.Fprintln(os.Stderr, "render: the trace:", err)
				os.Exit(1)
			}
		}
		if stop != nil {
			stop("the load")
			if err := printRequests(tab); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		if i == *runs-1 && *pans > 0 {
			if err := pan(tab, *pans, *jsProfile); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		if i == *runs-1 && *filters > 0 {
			if err := filter(tab, *filters, *jsProfile); err != nil {
				fmt.Fprintln(os.Stderr, "render:", err)
				os.Exit(1)
			}
		}
		cancelTab()
	}
}

// filter clicks the first weapon's checkbox n times (off, on, ...) and
// prints the times from each click to the map redrawn for it.
func filter(tab context.Context, n int, jsProfile bool) error {
	if jsProfile {
		stop, err := startProfile(tab)
		if err != nil {
			return err
		}
		defer stop("the filter changes")
	}
	var took []float64
	for i := range n {
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](`(function () {
  var box = document.querySelector('input[name=weapon]');
  window.__renders = Number(document.body.dataset.renders || 0);
  var t0 = performance.now();
  box.click();
  return t0;
})()`))
		if err != nil {
			return err
		}
		done, err := chromedp.Run(tab, chromedp.Poll[float64](`(Number(document.body.dataset.renders || 0) > window.__renders && document.body.dataset.busy === '0') ? performance.now() : 0`,
			chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(2*time.Millisecond)))
		if err != nil {
			return fmt.Errorf("filter change %d: %w", i+1, err)
		}
		took = append(took, done-v)
	}
	slices.Sort(took)
	fmt.Printf("filters %d: click to redrawn p50 %.0f ms, p90 %.0f ms, max %.0f ms\n", n, took[len(took)/2], took[min(len(took)-1, int(0.9*float64(len(took))))], took[len(took)-1])
	return nil
}

// watch records when the page's busy mark changes, when the map's view
// lands (the page writes it into the URL on moveend, after any inertia),
// the longest gap between animation frames, and the main thread's long
// tasks.
const watch = `(function () {
  var w = window.__pan = { log: [], moved: [], long: 0, longest: 0, gap: 0, last: performance.now() };
  new MutationObserver(function () {
    w.log.push([document.body.getAttribute('data-busy'), performance.now()]);
  }).observe(document.body, { attributes: true, attributeFilter: ['data-busy'] });
  var replace = history.replaceState.bind(history);
  history.replaceState = function () { w.moved.push(performance.now()); return replace.apply(null, arguments); };
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { w.long++; w.longest = Math.max(w.longest, e.duration); });
  }).observe({ type: 'longtask' });
  (function frame(t) { w.gap = Math.max(w.gap, t - w.last); w.last = t; requestAnimationFrame(frame); })(performance.now());
  var r = document.getElementById('map').getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
})()`

// redrawn returns, once the page has gone busy and idle again after t0,
// [drag start to redrawn, view landed to redrawn, longest frame gap] in
// ms, or null.
const redrawn = `(function (t0) {
  var w = window.__pan, busy = false;
  for (var i = 0; i < w.log.length; i++) {
    var e = w.log[i];
    if (e[1] < t0) { continue; }
    if (e[0] === '1') { busy = true; continue; }
    if (!busy) { continue; }
    var moved = w.moved.filter(function (t) { return t >= t0 && t <= e[1]; });
    return [e[1] - t0, moved.length ? e[1] - moved[moved.length - 1] : -1, w.gap];
  }
  return null;
})(%f)`

// pan drags the map n times, back and forth, and prints the times from
// each drag's start to the map redrawn.
func pan(tab context.Context, n int, jsProfile bool) error {
	center, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](watch))
	if err != nil {
		return err
	}
	if jsProfile {
		stop, err := startProfile(tab)
		if err != nil {
			return err
		}
		defer stop("the pans")
	}
	x, y := center[0], center[1]
	moves := [][2]float64{{220, 0}, {0, 140}, {-220, 0}, {0, -140}}
	var total, landed, gaps []float64
	for i := range n {
		d := moves[i%len(moves)]
		t0, err := chromedp.Run(tab, chromedp.Evaluate[float64](`window.__pan.gap = 0; window.__pan.last = performance.now(); performance.now()`))
		if err != nil {
			return err
		}
		steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft)}
		for k := 1; k <= 8; k++ {
			steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x+d[0]*float64(k)/8, y+d[1]*float64(k)/8, chromedp.ButtonLeft, buttons(1)))
		}
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x+d[0], y+d[1], chromedp.ButtonLeft))
		if err := chromedp.Do(tab, steps...); err != nil {
			return err
		}
		v, err := chromedp.Run(tab, chromedp.Poll[[]float64](fmt.Sprintf(redrawn, t0),
			chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(2*time.Millisecond)))
		if err != nil {
			return fmt.Errorf("pan %d: %w", i+1, err)
		}
		total, landed, gaps = append(total, v[0]), append(landed, v[1]), append(gaps, v[2])
	}
	long, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`[window.__pan.long, window.__pan.longest, document.querySelectorAll('.leaflet-marker-icon').length]`))
	if err != nil {
		return err
	}
	q := func(v []float64, p float64) float64 {
		slices.Sort(v)
		return v[min(len(v)-1, int(p*float64(len(v))))]
	}
	fmt.Printf("pans %d: view landed to redrawn p50 %.0f ms, p90 %.0f ms; drag start to redrawn (with Leaflet's inertia) p50 %.0f ms; longest frame gap p50 %.0f ms, max %.0f ms; long tasks %.0f (longest %.0f ms); %.0f markers on the map\n",
		n, q(landed, 0.5), q(landed, 0.9), q(total, 0.5), q(gaps, 0.5), q(gaps, 1), long[0], long[1], long[2])
	return nil
}

// requests lists what the page fetched and when, from the navigation's
// start: the request's start, its response's end, and the bytes sent
// (compressed), with the first paint and the page's data-ready mark.
const requests = `(function () {
  var out = performance.getEntriesByType('resource').map(function (e) {
    return [e.startTime, e.responseEnd, e.transferSize, e.name.replace(location.origin, '')];
  });
  performance.getEntriesByType('paint').concat(performance.getEntriesByType('mark')).forEach(function (e) { out.push([e.startTime, e.startTime, 0, '(' + e.name + ')']); });
  var nav = performance.getEntriesByType('navigation')[0];
  out.push([nav.startTime, nav.responseEnd, nav.transferSize, '(document)'], [nav.domContentLoadedEventEnd, nav.domContentLoadedEventEnd, 0, '(DOMContentLoaded)']);
  out.sort(function (a, b) { return a[0] - b[0]; });
  return out;
})()`

// printRequests prints the page's requests, in the order they started.
func printRequests(tab context.Context) error {
	rows, err := chromedp.Run(tab, chromedp.Evaluate[[][]any](requests))
	if err != nil {
		return err
	}
	fmt.Println("requests of the load (ms from navigation: start, end; bytes):")
	for _, r := range rows {
		s := fmt.Sprint(r[3])
		if len(s) > 110 {
			s = s[:110] + "..."
		}
		fmt.Printf("  %6.0f %6.0f %8.0f  %s\n", r[0], r[1], r[2], s)
	}
	return nil
}

// buttons sets which buttons are held during a mouse move.
func buttons(b int64) chromedp.MouseOption {
	return func(p *input.DispatchMouseEventParams) { p.Buttons = b }
}

// startProfile starts the JavaScript profiler in tab; stop prints what it
// sampled, saying during what.
func startProfile(tab context.Context) (stop func(during string), err error) {
	if _, err := chromedp.Call(tab, profiler.Enable, cdp.Empty{}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, profiler.Start, cdp.Empty{}); err != nil {
		return nil, err
	}
	domain := performance.EnableTimeDomainTimeTicks
	if *cpuTime {
		domain = performance.EnableTimeDomainThreadTicks
	}
	if _, err := chromedp.Call(tab, performance.Enable, performance.EnableParams{TimeDomain: domain}); err != nil {
		return nil, err
	}
	before, err := chromedp.Call(tab, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	return func(during string) {
		res, err := chromedp.Call(tab, profiler.Stop, cdp.Empty{})
		if err == nil {
			printProfile(res.Profile, during)
			if *profileOut != "" && during == "the load" {
				if b, err := json.Marshal(res.Profile); err == nil {
					if err := os.WriteFile(*profileOut, b, 0o644); err == nil {
						fmt.Printf("the load's JavaScript profile written to %s (open it in DevTools' Performance panel)\n", *profileOut)
					}
				}
			}
		}
		if after, err := chromedp.Call(tab, performance.GetMetrics, cdp.Empty{}); err == nil {
			printMetrics(before.Metrics, after.Metrics)
		}
	}, nil
}

// printMetrics prints where the main thread's time went between two
// readings of Chromium's performance metrics: scripts, style, layout.
func printMetrics(before, after []*performance.Metric) {
	was := map[string]float64{}
	for _, m := range before {
		was[m.Name] = m.Value
	}
	if *cpuTime {
		fmt.Print("main thread (CPU time):")
	} else {
		fmt.Print("main thread:")
	}
	for _, m := range after {
		switch m.Name {
		case "TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "RecalcStyleCount", "LayoutCount", "Nodes":
			d := m.Value - was[m.Name]
			if strings.HasSuffix(m.Name, "Duration") {
				fmt.Printf(" %s %.0f ms;", strings.TrimSuffix(m.Name, "Duration"), d*1000)
			} else {
				fmt.Printf(" %s %+.0f;", m.Name, d)
			}
		}
	}
	fmt.Println()
}

// printProfile prints the functions with the most self time in a
// JavaScript CPU profile.
func printProfile(p *profiler.Profile, during string) {
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range p.Nodes {
		byID[n.ID] = n
	}
	self := map[string]int64{}
	var total int64
	for i, id := range p.Samples {
		if i >= len(p.TimeDeltas) {
			break
		}
		n := byID[id]
		name := n.CallFrame.FunctionName
		if name == "" {
			name = "(anonymous)"
		}
		name += " " + path.Base(n.CallFrame.URL) + ":" + fmt.Sprint(n.CallFrame.LineNumber+1)
		self[name] += p.TimeDeltas[i]
		total += p.TimeDeltas[i]
	}
	names := slices.SortedFunc(maps.Keys(self), func(a, b string) int { return int(self[b] - self[a]) })
	fmt.Printf("JavaScript profile of %s, %d ms sampled; self time:\n", during, total/1000)
	for _, name := range names[:min(len(names), 25)] {
		fmt.Printf("  %6.1f ms  %s\n", float64(self[name])/1000, name)
	}
}
