//go:build unix

package loadcache

import (
	"os"
	"syscall"
)

// mapFile maps f's first size bytes read-only, its pages populated at
// once (one system call instead of a fault per page); unmap releases
// them. A file cut short while mapped faults when the part it lost is read:
// its readers run under debug.SetPanicOnFault.
func mapFile(f *os.File, size int) (b []byte, unmap func(), err error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	b, err = syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		return readFile(f, size)
	}
	return b, func() { syscall.Munmap(b) }, nil
}
