package server

import (
	"github.com/labstack/echo/v4"

	"strikemap/internal/export"
	"strikemap/internal/request"
)

// officialCounts answers GET /api/official-counts.json: the Pentagon's
// running counts of attacks, each with the incidents the map holds by its
// date in its scope, so that the page never lets the map pass for the
// whole record.
func (s *Server) officialCounts(c echo.Context) error {
	d := s.dataset(c)
	q, err := request.Query(c.QueryString(), "download")
	if err != nil {
		return err
	}
	body, err := export.OfficialCounts(d)
	if err != nil {
		return err
	}
	return s.sendData(c, d, body, "application/json", q, "official-counts.json")
}

// strikes answers GET /api/strikes.geojson: the strikes made in response
// to the attacks, a layer of their own (docs/data.md).
func (s *Server) strikes(c echo.Context) error {
	d := s.dataset(c)
	q, err := request.Query(c.QueryString(), "download")
	if err != nil {
		return err
	}
	body, err := export.Strikes(d.Strikes)
	if err != nil {
		return err
	}
	return s.geoJSON(c, d, body, q, "strikes.geojson")
}

// strikesCSV answers GET /api/strikes.csv: the strikes as a spreadsheet.
func (s *Server) strikesCSV(c echo.Context) error {
	d := s.dataset(c)
	q, err := request.Query(c.QueryString(), "download")
	if err != nil {
		return err
	}
	body, err := export.StrikesCSV(d.Strikes)
	if err != nil {
		return err
	}
	return s.sendData(c, d, body, "text/csv; charset=utf-8", q, "strikes.csv")
}
