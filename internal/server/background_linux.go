package server

import (
	"runtime"
	"syscall"
)

// backgroundNice is the niceness of the thread building a dataset's
// cluster index: the build yields to requests, and so to the provisional
// clusters the map page's first visitor is waiting for meanwhile.
const backgroundNice = 10

// inBackground runs fn on an OS thread of its own at backgroundNice, and
// waits for it. The goroutine ends still locked to the thread, so the
// runtime discards the thread rather than hand its low priority to other
// goroutines. Should the priority not be set, fn runs all the same.
func inBackground(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), backgroundNice)
		fn()
	}()
	<-done
}
