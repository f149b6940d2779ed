package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvent is the part of a Chrome trace event -trace reads.
type traceEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`
	Dur  float64        `json:"dur"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Args map[string]any `json:"args"`
}

// traceCategories are those DevTools' Performance panel records for a
// page load, without screenshots.
var traceCategories = []string{
	"devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing",
	"loading", "v8.execute", "disabled-by-default-v8.compile", "toplevel", "blink",
}

// startTrace starts recording a Chrome trace in tab; stop writes it to
// file (load it in DevTools' Performance panel or ui.perfetto.dev) and
// prints the renderer main thread's longest steps of the load.
func startTrace(tab context.Context, file string) (stop func() error, err error) {
	var events []json.RawMessage
	done := make(chan struct{})
	if err := chromedp.Listen(tab, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			for _, v := range e.Value {
				events = append(events, json.RawMessage(slices.Clone(v)))
			}
		case *tracing.EventTracingComplete:
			close(done)
		}
	}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: traceCategories},
	}); err != nil {
		return nil, err
	}
	return func() error {
		if _, err := chromedp.Call(tab, tracing.End, cdp.Empty{}); err != nil {
			return err
		}
		<-done
		out, err := json.Marshal(map[string]any{"traceEvents": events})
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, out, 0o644); err != nil {
			return err
		}
		fmt.Printf("trace of the last load written to %s (%d events)\n", file, len(events))
		return summarizeTrace(events)
	}, nil
}

// summarizeTrace prints, for the renderer's main thread, the steps of the
// load: its tasks of 15 ms or more and their steps of 5 ms or more, from the navigation's start: a task's
// children (parsing, a script's compile or run, style, layout, paint),
// so that what happens before the page's script runs can be seen.
func summarizeTrace(raw []json.RawMessage) error {
	var evs []traceEvent
	for _, r := range raw {
		var e traceEvent
		if err := json.Unmarshal(r, &e); err != nil {
			return err
		}
		evs = append(evs, e)
	}
	// The main thread: the one with the navigation's start mark.
	var nav *traceEvent
	for i := range evs {
		if evs[i].Name == "navigationStart" && strings.Contains(evs[i].Cat, "blink.user_timing") {
			if u, _ := evs[i].Args["data"].(map[string]any); u != nil {
				if url, _ := u["documentLoaderURL"].(string); strings.HasPrefix(url, "http") {
					nav = &evs[i]
				}
			}
		}
	}
	// Chromium does not always name the document (documentLoaderURL is
	// sometimes empty), nor mark the navigation's start in the process that
	// then loads the page (a navigation may move to a new renderer). Then
	// the main thread is the one that parses the page's HTML, and the
	// page's start the last main frame's navigationStart before that parse
	// began, in any process (the ones before are the tab's about:blank).
	thread := [2]int{}
	if nav != nil {
		thread = [2]int{nav.Pid, nav.Tid}
	} else {
		for _, p := range evs {
			if p.Name != "ParseHTML" {
				continue
			}
			if b, _ := p.Args["beginData"].(map[string]any); b == nil || !strings.HasPrefix(fmt.Sprint(b["url"]), "http") {
				continue
			}
			thread = [2]int{p.Pid, p.Tid}
			for i := range evs {
				e := &evs[i]
				if d, _ := e.Args["data"].(map[string]any); e.Name == "navigationStart" && d["isLoadingMainFrame"] == true && e.Ts < p.Ts && (nav == nil || e.Ts > nav.Ts) {
					nav = e
				}
			}
			break
		}
	}
	if nav == nil {
		return fmt.Errorf("trace: no navigationStart of a main frame")
	}
	main := func(e traceEvent) bool { return e.Pid == thread[0] && e.Tid == thread[1] }
	var tasks []traceEvent
	for _, e := range evs {
		if main(e) && e.Ph == "X" && e.Name == "RunTask" {
			tasks = append(tasks, e)
		}
	}
	fmt.Println("main thread's tasks of 15 ms or more and their steps of 5 ms or more (ms from the navigation's start: start, duration; step):")
	for _, t := range tasks {
		if t.Ts < nav.Ts || t.Dur < 15000 {
			continue
		}
		var in []traceEvent
		for _, e := range evs {
			if main(e) && e.Ph == "X" && e.Ts >= t.Ts && e.Ts+e.Dur <= t.Ts+t.Dur && e.Name != "RunTask" {
				in = append(in, e)
			}
		}
		slices.SortFunc(in, func(a, b traceEvent) int {
			if a.Ts != b.Ts {
				return cmp.Compare(a.Ts, b.Ts)
			}
			return cmp.Compare(b.Dur, a.Dur)
		})
		fmt.Printf("  %6.0f %6.0f  task\n", (t.Ts-nav.Ts)/1000, t.Dur/1000)
		end := 0.0
		for _, k := range in {
			if !stepNames[k.Name] || k.Ts < end {
				continue // not a step, or inside an earlier one
			}
			end = k.Ts + k.Dur
			if k.Dur < 5000 {
				continue
			}
			// Style and layout a script forced.
			var forced float64
			for _, f := range in {
				if (f.Name == "Layout" || f.Name == "UpdateLayoutTree") && f.Ts > k.Ts && f.Ts+f.Dur <= end {
					forced += f.Dur
				}
			}
			more := ""
			if forced > 0 && k.Name != "Layout" && k.Name != "UpdateLayoutTree" {
				more = fmt.Sprintf(" (style and layout in it %.0f ms)", forced/1000)
			}
			fmt.Printf("  %6.0f %6.0f    %s%s%s\n", (k.Ts-nav.Ts)/1000, k.Dur/1000, k.Name, detail(k), more)
		}
	}
	return nil
}

// stepNames are the trace events -trace lists as a task's steps.
var stepNames = map[string]bool{
	"ParseHTML": true, "ParseAuthorStyleSheet": true, "EvaluateScript": true,
	"v8.compile": true, "v8.compileModule": true, "v8.evaluateModule": true, "v8.produceModuleCache": true,
	"FunctionCall": true, "EventDispatch": true, "TimerFire": true, "FireAnimationFrame": true,
	"RunMicrotasks": true, "UpdateLayoutTree": true, "Layout": true, "PrePaint": true, "Paint": true,
	"Layerize": true, "Commit": true, "ResourceReceivedData": true, "MajorGC": true, "MinorGC": true,
	"V8.GCScavenger": true, "HitTest": true, "ScheduleStyleRecalculation": true,
}

// detail names what a step worked on: a script's URL, a parse's lines.
func detail(e traceEvent) string {
	d, _ := e.Args["data"].(map[string]any)
	if d == nil {
		if b, _ := e.Args["beginData"].(map[string]any); b != nil {
			d = b
		}
	}
	for _, k := range []string{"url", "fileName", "scriptName"} {
		if s, _ := d[k].(string); s != "" {
			return " " + s
		}
	}
	if s, ok := d["startLine"].(float64); ok {
		return fmt.Sprintf(" from line %.0f", s)
	}
	return ""
}
