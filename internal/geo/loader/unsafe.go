package loader

import "unsafe"

// This is one of the three places in strikemap that use unsafe, each under
// a rule of its own (the other two: geo/snapshot.go makes the snapshot's
// text block, a fresh copy that nothing writes once its jobs are done, one
// string that the incidents' strings are views of; geo/hugepages_linux.go
// takes a slice's address for madvise). Decoding a million
// incidents makes some four million strings; copying each out of the file's
// bytes, and then again into lasting memory, would double the loading
// time. So the decoders read strings as views of the bytes they came from
// (view), and Text copies the ones that are kept into blocks that are only
// ever appended to.
//
// The rule that makes this safe: a view must not outlive its bytes. The
// fast decoder's views point into a chunk buffer, which the loader reuses
// once the chunk's run has been taken, so whatever a decoder keeps must be
// a copy (Text.Copy, Text.Intern) by then. Options.Scribble overwrites
// every buffer as it is reused, so a test finds a view that was kept.

// view returns b's bytes as a string, without copying: b must not change
// while the string is in use.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
