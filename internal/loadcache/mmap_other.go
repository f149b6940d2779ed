//go:build !unix

package loadcache

import "os"

// mapFile reads f's first size bytes (there is no mmap here).
func mapFile(f *os.File, size int) ([]byte, func(), error) {
	return readFile(f, size)
}
