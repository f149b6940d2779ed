package main

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Device classes by their score on Lighthouse's BenchmarkIndex, the scores
// DevTools' calibrated CPU throttling aims at (its "mid-tier mobile", a
// Pixel 5, and "low-tier mobile", a Moto G4 Power 2022). A fixed slowdown
// such as 4× means a different phone on every machine: it divides whatever
// CPU the test runs on. Calibrating finds the slowdown at which this
// machine's Chromium scores what the phone does.
var deviceScores = map[string]float64{"mid": 1000, "low": 264}

// benchmarkIndex is Lighthouse's BenchmarkIndex method, run for ms
// milliseconds: half the time building a 10,000-character string one
// character at a time (allocation and garbage collection), half copying a
// 100,000-element array back and forth (plain loads and stores); each half
// scores its rounds per second divided by 10, and the index is their mean.
const benchmarkIndex = `(function (ms) {
  var half = ms / 2;
  function strings() {
    var t0 = Date.now(), rounds = 0;
    while (Date.now() - t0 < half) {
      var s = '';
      for (var i = 0; i < 10000; i++) { s += 'a'; }
      if (s.length === 1) { throw new Error('unreachable'); }
      rounds++;
    }
    return Math.round(rounds / 10 / ((Date.now() - t0) / 1000));
  }
  function copies() {
    var a = [], b = [];
    for (var i = 0; i < 100000; i++) { a[i] = b[i] = i; }
    var t0 = Date.now(), rounds = 0;
    // The clock is read every tenth round only: reading it in the loop
    // changes the loop's speed on some CPUs.
    while (rounds %% 10 !== 0 || Date.now() - t0 < half) {
      var from = rounds %% 2 ? b : a, to = rounds %% 2 ? a : b;
      for (var j = 0; j < from.length; j++) { to[j] = from[j]; }
      rounds++;
    }
    return Math.round(rounds / 10 / ((Date.now() - t0) / 1000));
  }
  return (strings() + copies()) / 2;
})(%d)`

// calibrate finds the CPU throttling rate at which the browser scores the
// device class's BenchmarkIndex (within 10 points, as DevTools does), by
// bisection in a blank tab. It returns the rate and the machine's own
// score. The machine must be at least as fast as the device.
func calibrate(browser context.Context, device string) (rate, own float64, err error) {
	want, ok := deviceScores[device]
	if !ok {
		return 0, 0, fmt.Errorf("-device %q: want mid (a Pixel 5's CPU) or low (a Moto G4 Power's)", device)
	}
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		return 0, 0, err
	}
	score := func(r float64) (float64, error) {
		if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: r})
			return err
		})); err != nil {
			return 0, err
		}
		// The median of three: a shared machine's other work makes single
		// scores scatter by a quarter.
		var got []float64
		for range 3 {
			s, err := chromedp.Run(tab, chromedp.Evaluate[float64](fmt.Sprintf(benchmarkIndex, 250)))
			if err != nil {
				return 0, err
			}
			got = append(got, s)
		}
		slices.Sort(got)
		return got[1], nil
	}
	if _, err := score(1); err != nil { // warm the engine up
		return 0, 0, err
	}
	own, err = score(1)
	if err != nil {
		return 0, 0, err
	}
	if own < want {
		return 0, own, fmt.Errorf("this machine's Chromium scores %.0f on BenchmarkIndex, less than the %s device's %.0f: it cannot be slowed down to it", own, device, want)
	}
	lo, hi := 1.0, own/want*1.5
	for range 10 {
		r := math.Round((lo+hi)/2*100) / 100 // Chromium keeps two decimals
		s, err := score(r)
		if err != nil {
			return 0, 0, err
		}
		rate = r
		if math.Abs(s-want) < 10 {
			break
		}
		if s < want {
			hi = r
		} else {
			lo = r
		}
	}
	return rate, own, nil
}
