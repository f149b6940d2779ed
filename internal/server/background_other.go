//go:build !linux

package server

// inBackground runs fn: only Linux sets one thread's priority.
func inBackground(fn func()) { fn() }
