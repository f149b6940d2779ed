// Package loader reads the features of a GeoJSON FeatureCollection fast:
// a file is cut into chunks that are scanned and decoded on every core
// (chunks.go), a scanner finds where each feature ends without decoding it
// (split.go), a hand-written decoder reads the common shape of an incident
// feature without allocating (fastdecode.go), and Text and Blocks give what
// is kept its lasting memory (keep.go). Its strings are views of buffers
// that it reuses: unsafe.go says the rule that makes that safe.
//
// It knows the file's layout, not what the data means: package geo checks
// every value, writes the messages and builds the dataset (geo.Load).
package loader
