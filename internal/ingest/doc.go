// Package ingest turns spreadsheets of attacks (ACLED exports and generic CSV
// files) into strikemap incidents, and merges them into a dataset by id.
//
// Every row becomes an incident or a Rejection naming its file, line, field
// and reason; the incidents are checked by the server's own validation
// (geo.Parse), so what ingest accepts the server serves. docs/import.md
// documents each mapping.
package ingest
