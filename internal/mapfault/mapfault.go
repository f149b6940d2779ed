// Package mapfault turns a fault reading a memory-mapped file (one cut
// short while it is read), which debug.SetPanicOnFault makes a panic, into
// an error. The snapshot decoder (internal/geo) and the snapshot cache's
// checksum (internal/loadcache) both read mapped files.
package mapfault

// Recover, deferred after debug.SetPanicOnFault(true), sets *err to
// fault(addr) when the panic is a fault reading memory at addr; any other
// panic goes on.
func Recover(err *error, fault func(addr uintptr) error) {
	r := recover()
	if r == nil {
		return
	}
	if f, ok := r.(interface{ Addr() uintptr }); ok {
		*err = fault(f.Addr())
		return
	}
	panic(r)
}
