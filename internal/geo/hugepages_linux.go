package geo

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of an x86-64 or arm64 transparent huge page.
const hugePage = 2 << 20

// hugePages asks the kernel to back the whole huge pages inside s, a large
// array that is about to be written for the first time, with transparent
// huge pages (where THP is "madvise", as on Debian and Ubuntu): one fault
// per 2 MiB instead of per 4 KiB. Reading a million incidents' snapshot
// writes some 400 MB of fresh memory, and on the 2-core machine a 4 KiB
// fault cost more than the decoding itself. It is only a hint: errors are
// ignored, and memory the Go runtime returns later is split as usual.
func hugePages[T any](s []T) {
	var zero T
	size := uintptr(len(s)) * unsafe.Sizeof(zero)
	if size < 2*hugePage {
		return
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	p := uintptr(base)
	from := (p + hugePage - 1) &^ (hugePage - 1)
	to := (p + size) &^ (hugePage - 1)
	syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(base, from-p)), to-from), syscall.MADV_HUGEPAGE)
}
