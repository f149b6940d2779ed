// Command render measures how long strikemap's map page takes to render in
// headless Chromium: from navigation to the page's data-ready mark (the
// histogram, the bases and the incidents or clusters drawn).
//
//	go run ./bench/render -url http://127.0.0.1:8080/ -runs 3
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/", "map page URL")
	runs := flag.Int("runs", 3, "page loads to time")
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
	for i := range *runs {
		tab, cancelTab := chromedp.NewContext(browser)
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
		fmt.Printf("run %d: first render %d ms (%s)\n", i+1, first.Milliseconds(), n)
		cancelTab()
	}
}
