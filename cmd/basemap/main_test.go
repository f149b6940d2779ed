package main

import "testing"

func TestParseBBox(t *testing.T) {
	tests := []struct {
		in      string
		want    [4]float64
		wantErr bool
	}{
		{in: "34,28,50,40", want: [4]float64{34, 28, 50, 40}},
		{in: " 34, 28 ,50,40.5", want: [4]float64{34, 28, 50, 40.5}},
		{in: "34,28,50", wantErr: true},
		{in: "34,28,x,40", wantErr: true},
		{in: "50,28,34,40", wantErr: true},
		{in: "34,40,50,40", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseBBox(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
